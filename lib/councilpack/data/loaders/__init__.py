"""One loader per published source file.

Each loader reads a file exactly as published, validates it with a pandera
schema (``lazy=True``) plus the checks pandera cannot express, and returns
tidy rows keyed by the *current* council's GSS code. Problems are raised as
:class:`councilpack.data.checks.DataCheckError` naming file, column and row.

The loaders share their first arguments, documented here once:

raw_dir
    Folder of staged open data (the files named in :data:`RAW_FILES` and the
    tables below it).
geography
    Register and succession map
    (:class:`~councilpack.data.loaders.mysociety.Geography`); a loader that
    needs only the current councils takes the ``register`` instead, and says so.

Notes
-----
    Receives one line per boundary-change decision (a predecessor's figures
    summed into, or left out of, its successor's).
"""

from __future__ import annotations

from pathlib import Path

from councilpack.errors import MissingFileError

#: Sub-folders and file names of the staged raw files, relative to the raw data folder.
RAW_FILES: dict[str, str] = {
    "mysociety_register": "mysociety_la_codes/uk_local_authorities.csv",
    "mysociety_names": "mysociety_la_codes/lookup_name_to_registry.csv",
    "mysociety_gss": "mysociety_la_codes/lookup_gss_to_registry.csv",
    "ons_ltla_utla": "ons_ltla_utla_2021/LTLA21_UTLA21_EW_lookup.csv",
    "ons_mye": "ons_mye/mye2023_lad_single_year_of_age_england.csv",
    "mhclg_ct_receipts": "mhclg_ct_receipts/CT_Receipts_Live_Table_Q4_2022-23.xlsx",
    "defra_recycling": "defra_recycling_2021_22/recycling_by_lad_2021_22_subset.csv",
    "oflog_asc": "oflog_automated_text/ASC_data.csv",
    "oflog_nn": "oflog_automated_text/NN.json",
    "ons_nn_2025": "ons_nearest_neighbours_2025/localauthoritynearestneighboursengland.xlsx",
    "dft_road_condition": "dft_road_condition/road-condition-data.ods",
    "defra_env18_2022_23": "defra_env18_waste/LA_and_Regional_Spreadsheet_2022-23_for_Web_revised.ods",
    "defra_env18_2023_24": "defra_env18_waste/LA_collected_waste_2023-24.ods",
    "lga_polling": "lga_resident_satisfaction/lga_polling_national_points.csv",
    "mhclg_ra_2016_17": "mhclg_ro_rs_historic_bbc/RA_2016-17_data_by_LA__budgetaccounts1617.xlsx",
    "mhclg_ctr_2023_24": "dluhc_council_tax_levels/CTR_Table_9_2023-24.ods",
}

#: MHCLG council tax levels tables (CTR) 2015-16 to 2022-23 by financial year (the
#: 2023-24 table is ``RAW_FILES["mhclg_ctr_2023_24"]``).
CTR_FILES: dict[str, str] = {
    f"20{y:02d}-{y + 1:02d}": f"dluhc_council_tax_levels/ctr_{y:02d}{y + 1:02d}.xlsx"
    for y in range(15, 23)
}

#: RS outturn workbooks by financial year.
RS_FILES: dict[str, str] = {
    "2010-11": "mhclg_ro_rs_historic_bbc/"
    "Revenue_Outturn_Summary__RS__data_2010-11_by_LA_-_27-Nov-2012-v2.xls",
    "2011-12": "mhclg_ro_rs_historic_bbc/"
    "Revenue_Outturn_Summary__RS__data_2011-12_by_LA_-_Revised_28-Nov-2013.xls",
    "2012-13": "mhclg_ro_rs_historic_bbc/"
    "Revenue_Outturn_Summary__RS__data_2012-13_by_LA__Revised__-_18-Feb-2014.xls",
    "2013-14": "mhclg_ro_rs_historic_bbc/"
    "Revenue_Outturn_Summary__RS__data_2013-14_by_LA_-_Revised_28-Jan-2015.xls",
    "2014-15": "mhclg_ro_rs_historic_bbc/"
    "Revenue_Outturn_Summary__RS__data_2014-15_by_LA_-_02-Feb-2016.xls",
    "2015-16": "mhclg_ro_rs_historic_bbc/RS_2015-16_data_by_LA_-_Revision.xlsx",
    "2016-17": "mhclg_ro_rs_historic_bbc/RS_2016-17_data_by_LA.xlsx",
    "2017-18": "mhclg_ro_rs_historic_bbc/RS_2017-18_data_by_LA.xlsx",
    "2018-19": "mhclg_rs_2018_2023_resaved/rs2018_19.xls",
    "2019-20": "mhclg_rs_2018_2023_resaved/rs2019_20.xls",
    "2020-21": "mhclg_rs_2018_2023_resaved/rs2020_21.xlsx",
    "2021-22": "mhclg_rs_2018_2023_resaved/rs2021_22.xlsx",
    "2022-23": "mhclg_rs_2018_2023_resaved/rs2022_23.xlsx",
    "2023-24": "mhclg_ro_2022_2025/RS_2023-24_data_by_LA.ods",
}

#: RSX (service expenditure summary) and RO3 (social care and public health)
#: outturn workbooks by form and financial year. Where two releases of one
#: year are staged, the one whose "Last updated" date is later is used.
RO_FORM_FILES: dict[str, dict[str, tuple[str, ...]]] = {
    "RSX": {
        "2022-23": ("mhclg_ro_2022_2025/RSX_2022-23_data_by_LA.ods",),
        "2023-24": ("mhclg_ro_2022_2025/RSX_2023-24_data_by_LA.ods",),
        "2024-25": (
            "mhclg_ro_2022_2025/RSX_LA_Data_2024-25_data_by_LA.ods",
            "mhclg_ro_2024_25_second_release_resaved/RSX_LA_Data_2024-25_data_by_LA.ods",
        ),
    },
    "RO3": {
        "2022-23": ("mhclg_ro_2022_2025/RO3_2022-23_data_by_LA.ods",),
        "2023-24": ("mhclg_ro_2022_2025/RO3_2023-24_data_by_LA.ods",),
        "2024-25": (
            "mhclg_ro_2022_2025/RO3_LA_Data_2024-25_data_by_LA.ods",
            "mhclg_ro_2024_25_second_release_resaved/RO3_LA_Data_2024-25_data_by_LA.ods",
        ),
    },
}

#: ONS population files beyond the mid-2023 single-year-of-age CSV.
ONS_POPULATION_FILES: dict[str, str] = {
    "mid-2022": "ons_mye_workbooks/mye22final.xlsx",
    "mid-2023": "ons_mye_workbooks/mye23tablesew.xlsx",
    "mid-2024": "ons_mye_2024/mye24tablesew.csv",
}


def all_input_files() -> dict[str, str]:
    """Return every input the store is built from: key -> relative path."""
    files = dict(RAW_FILES)
    files.update({f"mhclg_rs_{year}": path for year, path in RS_FILES.items()})
    files.update({f"mhclg_ctr_{year}": path for year, path in CTR_FILES.items()})
    for form, years in RO_FORM_FILES.items():
        for year, paths in years.items():
            for index, path in enumerate(paths):
                files[f"mhclg_{form.lower()}_{year}_{index}"] = path
    files.update({f"ons_population_{year}": path for year, path in ONS_POPULATION_FILES.items()})
    return files


def raw_path(raw_dir: Path, relative: str) -> Path:
    """Return the path of one staged file, raising a clear error when absent."""
    path = Path(raw_dir) / relative
    if not path.is_file():
        raise MissingFileError(
            "open-data file not found in the data folder "
            "(run `councilpack data fetch` or stage it by hand; see data/README.md)",
            file=relative,
        )
    return path
