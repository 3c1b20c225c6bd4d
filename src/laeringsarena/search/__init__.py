"""Language-aware text analysis and the search engine (plain Python, not a Django app).

Public interface: :mod:`.analysis` (``fold``, ``tokenise``, ``stem``, ``Analyser``),
:mod:`.engine` (``Index``, ``Document``), :mod:`.query` (``plan``) and :mod:`.highlight`.
Shared by the catalogue and, later, the quality app.
"""
