"""The 766 service index (QĐ 766/QĐ-TTg): configuration and groups (`config`), how one
dossier counts (`facts`), the incrementally maintained tables (`aggregates`), the formulas
(`score`), the index per agency, map unit and province for a period (`results`) and the
direct scan that checks the tables (`raw`)."""
