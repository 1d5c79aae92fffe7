"""District runs (issue 6): many schools sharing external staff and institutions.

- `solver.district.model` / `load`: the district file `afterschool-district/1` and its loader;
- `solver.district.master`: demand per school and the master allocation (CP-SAT);
- `solver.district.run`: the rounds, on Dask distributed (or in-process with one worker);
- `solver.district.check`: each school's plan checker plus the cross-school rules;
- `solver.district.report`: `district_report(...) -> dict` and the Excel workbook.
See `solver/district/README.md`.
"""
