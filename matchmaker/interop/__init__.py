"""Interoperability: OCDS award data in, the official CPV list in, profiles and shortlists out.

Each module is one exchange: :mod:`.ocds` (import OCDS releases and records), :mod:`.cpv_list`
(the EU's CPV 2008 list), :mod:`.backup` (supplier profiles as JSON lines, both ways),
:mod:`.ocds_export` (a shortlist as an OCDS release package). :mod:`.reading` reads their files
(gzip, JSON or JSON lines, line numbers in every error).
"""
from matchmaker.interop.backup import RestoreReport, export_suppliers, import_suppliers
from matchmaker.interop.cpv_list import (
    CpvImportReport,
    import_cpv_list,
    install_cpv,
    use_imported_cpv_list,
)
from matchmaker.interop.ocds import OcdsImportReport, import_ocds, read_processes
from matchmaker.interop.ocds_export import shortlist_release_package
from matchmaker.interop.reading import ImportFileError

__all__ = [
    "CpvImportReport",
    "ImportFileError",
    "OcdsImportReport",
    "RestoreReport",
    "export_suppliers",
    "import_cpv_list",
    "import_ocds",
    "import_suppliers",
    "install_cpv",
    "read_processes",
    "shortlist_release_package",
    "use_imported_cpv_list",
]
