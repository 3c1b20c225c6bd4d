"""Who may open the quality views and API operations.

A deviation is visible to its reporter and its handler chain only (the unit's leader and the
sector's leader in the demo): never to colleagues, HR, union, safety delegates, the quality
coordinator or the platform administrator.
"""

from __future__ import annotations

from laeringsarena.accounts.models import User
from laeringsarena.quality.models import AgendaItem, Deviation, Document, DocumentAttachment, ImprovementCase
from laeringsarena.testing.access import AGGREGATES, FJORDVIK, LEADERS, NORDOY, Expectations, logged_in, only

EMPLOYED = (FJORDVIK - {"leverandor"}) | NORDOY
FJORDVIK_CHAIN = only("ansatt", "leder", "kommunalsjef")
NORDOY_CHAIN = only("ansatt_nordoy", "leder_nordoy")
FJORDVIK_HANDLERS = only("leder", "kommunalsjef")
NORDOY_HANDLERS = only("leder_nordoy")

WEB: dict[str, Expectations] = {
    "quality:report": {None: only(EMPLOYED)},
    "quality:personal_data_check": {None: logged_in},
    "quality:reported_anonymously": {None: logged_in},
    "quality:my_reports": {None: logged_in},
    "quality:handle_list": {None: only(LEADERS)},
    "quality:deviation": {"fjordvik_deviation": FJORDVIK_CHAIN, "nordoy_deviation": NORDOY_CHAIN},
    "quality:deviation_action": {"fjordvik_deviation": FJORDVIK_CHAIN, "nordoy_deviation": NORDOY_CHAIN},
    # The photo on a deviation: the reporter and the handler chain only (404 for everybody else).
    "quality:deviation_attachment": {
        "fjordvik_deviation_attachment": FJORDVIK_CHAIN,
        "nordoy_deviation_attachment": NORDOY_CHAIN,
    },
    "quality:leader_meeting": {None: only(LEADERS)},
    "quality:agenda_conclusion": {"fjordvik_agenda": FJORDVIK_HANDLERS},
    # The unit's handlers, and the municipality's quality managers.
    "quality:improvement_case": {"fjordvik_case": only("leder", "kommunalsjef", "kvalitet", "admin")},
    # Everyone sees their own change requests; owners and quality managers decide theirs there.
    "quality:change_requests": {None: logged_in},
    "quality:reports": {None: only(AGGREGATES)},
    "quality:documents": {None: logged_in},
    "quality:categories": {None: only("kvalitet", "admin")},
    "quality:document": {"fjordvik_document": only(FJORDVIK, "admin")},
    # An attachment of a published version: whoever may read the document.
    "quality:document_attachment": {"fjordvik_document_attachment": only(FJORDVIK, "admin")},
    # Owner and review interval: the owner (the unit leader in the demo) and quality managers.
    "quality:document_settings": {"fjordvik_document": only("leder", "kvalitet", "admin")},
    "quality:must_read": {None: logged_in},
    "quality:read_status": {
        "fjordvik_unit": only("leder", "kommunalsjef", "admin"),
        "nordoy_unit": only("leder_nordoy", "admin"),
    },
    "quality:tenant_reports": {
        "fjordvik_slug": only(AGGREGATES - {"leder_nordoy"}),
        "nordoy_slug": only("leder_nordoy", "admin"),
    },
}

API: dict[str, Expectations] = {
    "POST /api/v1/quality/deviations": {None: logged_in},
    "GET /api/v1/quality/deviations": {None: logged_in},
    "GET /api/v1/quality/deviations/{deviation_id}": {
        "fjordvik_deviation": FJORDVIK_CHAIN,
        "nordoy_deviation": NORDOY_CHAIN,
    },
    "POST /api/v1/quality/deviations/{deviation_id}/transitions": {
        "fjordvik_deviation": FJORDVIK_HANDLERS,
        "nordoy_deviation": NORDOY_HANDLERS,
    },
    "POST /api/v1/quality/deviations/{deviation_id}/forwardings": {
        "fjordvik_deviation": FJORDVIK_HANDLERS,
        "nordoy_deviation": NORDOY_HANDLERS,
    },
    "POST /api/v1/quality/deviations/{deviation_id}/attachments": {
        "fjordvik_deviation": FJORDVIK_CHAIN,
        "nordoy_deviation": NORDOY_CHAIN,
    },
    "GET /api/v1/quality/deviations/{deviation_id}/attachments/{attachment_id}": {
        "fjordvik_deviation_attachment": FJORDVIK_CHAIN,
        "nordoy_deviation_attachment": NORDOY_CHAIN,
    },
    "GET /api/v1/quality/categories": {None: logged_in},
    "POST /api/v1/quality/personal-data-checks": {None: logged_in},
}

BODIES: dict[str, tuple[str, bytes, str]] = {
    # A transition that is not allowed: handlers get 409, nothing changes.
    "POST /api/v1/quality/deviations/{deviation_id}/transitions": (
        "application/json",
        b'{"to": "bogus"}',
        "",
    ),
    # Not multipart: the reporter and handlers get 400, nothing is stored.
    "POST /api/v1/quality/deviations/{deviation_id}/attachments": ("application/json", b"{}", ""),
    # An unknown unit: handlers get 400, nothing changes.
    "POST /api/v1/quality/deviations/{deviation_id}/forwardings": ("application/json", b'{"unit_id": 0}', ""),
}


def targets() -> dict[str, dict[str, object]]:
    fjordvik = Deviation.objects.get(reporter=User.objects.get(email="ansatt@fjordvik.demo").person)
    nordoy = Deviation.objects.get(reporter=User.objects.get(email="ansatt@nordoy.demo").person)
    agenda = AgendaItem.objects.get(unit__slug="fjordvik-sykehjem")
    case = ImprovementCase.objects.get(unit__slug="fjordvik-sykehjem")
    photos = {d.pk: d.attachments.order_by("pk").first() for d in (fjordvik, nordoy)}
    document = Document.objects.filter(tenant__slug="fjordvik").order_by("pk").first()
    attachment = DocumentAttachment.objects.filter(version__document=document).first()
    return {
        "fjordvik_deviation_attachment": {
            "pk": fjordvik.pk,
            "deviation_id": fjordvik.pk,
            "attachment_pk": photos[fjordvik.pk].pk,
            "attachment_id": photos[fjordvik.pk].pk,
        },
        "nordoy_deviation_attachment": {
            "pk": nordoy.pk,
            "deviation_id": nordoy.pk,
            "attachment_pk": photos[nordoy.pk].pk,
            "attachment_id": photos[nordoy.pk].pk,
        },
        "fjordvik_document_attachment": {"pk": document.pk, "attachment_pk": attachment.pk},
        "fjordvik_deviation": {"pk": fjordvik.pk, "deviation_id": fjordvik.pk},
        "nordoy_deviation": {"pk": nordoy.pk, "deviation_id": nordoy.pk},
        "fjordvik_agenda": {"pk": agenda.pk},
        "fjordvik_case": {"pk": case.pk},
        "fjordvik_document": {"pk": document.pk},
    }
