// Independent verification of Læringsarena credentials with Digital Bazaar's reference
// libraries: @digitalbazaar/vc (VC Data Model), @digitalbazaar/data-integrity with
// @digitalbazaar/eddsa-rdfc-2022-cryptosuite (signature), @digitalbazaar/vc-bitstring-status-list
// (revocation). Nothing is fetched from the network: JSON-LD contexts come from the vendored
// copies in ../contexts/, and DID documents and status list credentials from a JSON file of
// {url: document} given on the command line (what our platform serves at those URLs).
//
// Usage: node verify.mjs CREDENTIAL.json DOCUMENTS.json
// Prints {"verified": bool, "signature": bool, "status": "valid"|"revoked"|"none"|"error", "error": "…"}
// and exits 0 when verified, 1 when not, 2 on bad usage.
import {readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';

const here = dirname(fileURLToPath(import.meta.url));
const contextsDir = join(here, '..', 'contexts');
const contextIndex = JSON.parse(readFileSync(join(contextsDir, 'index.json'), 'utf8'));

function loaderFor(documents) {
  return async function documentLoader(url) {
    if(contextIndex[url]) {
      const document = JSON.parse(readFileSync(join(contextsDir, contextIndex[url]), 'utf8'));
      return {contextUrl: null, documentUrl: url, document};
    }
    const [base, fragment] = url.split('#');
    const document = documents[base];
    if(!document) {
      throw new Error(`document not available offline: ${url}`);
    }
    if(fragment === undefined) {
      return {contextUrl: null, documentUrl: url, document};
    }
    // A verification method inside a DID / controller document.
    const method = (document.verificationMethod || []).find(m => m.id === url);
    if(!method) {
      throw new Error(`verification method not found: ${url}`);
    }
    return {
      contextUrl: null,
      documentUrl: url,
      document: {'@context': 'https://w3id.org/security/multikey/v1', ...method}
    };
  };
}

async function main() {
  const [credentialFile, documentsFile] = process.argv.slice(2);
  if(!credentialFile || !documentsFile) {
    console.error('usage: node verify.mjs CREDENTIAL.json DOCUMENTS.json');
    process.exit(2);
  }
  const credential = JSON.parse(readFileSync(credentialFile, 'utf8'));
  const documents = JSON.parse(readFileSync(documentsFile, 'utf8'));
  const documentLoader = loaderFor(documents);
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});

  let statusResult = null;
  // The library reports the bit's value as `status`; a set revocation bit means "revoked".
  const statusCheck = async options => {
    statusResult = await checkStatus(options);
    if(statusResult.verified && statusResult.results.some(r => r.status === true)) {
      return {...statusResult, verified: false, revoked: true};
    }
    return statusResult;
  };
  const result = await vc.verifyCredential({credential, suite, documentLoader, checkStatus: statusCheck});
  const signature = Boolean(result.results && result.results.every(r => r.verified));
  let status = 'none';
  if(statusResult) {
    if(!statusResult.verified) {
      status = 'error';
    } else {
      status = statusResult.results.some(r => r.status === true) ? 'revoked' : 'valid';
    }
  }
  const errors = [];
  const collect = e => {
    if(!e) {
      return;
    }
    if(Array.isArray(e.errors)) {
      e.errors.forEach(collect);
    } else {
      errors.push(e.message || String(e));
    }
  };
  collect(result.error);
  (result.results || []).forEach(r => collect(r.error));
  if(statusResult && statusResult.error) {
    collect(statusResult.error);
  }
  if(status === 'revoked') {
    errors.push('credential is revoked');
  }
  const out = {verified: result.verified === true, signature, status, error: errors.join('; ')};
  console.log(JSON.stringify(out));
  process.exit(out.verified ? 0 : 1);
}

main().catch(error => {
  console.log(JSON.stringify({verified: false, signature: false, status: 'error', error: error.message}));
  process.exit(1);
});
