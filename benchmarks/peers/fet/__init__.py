"""The FET peer: FET's real-school example files (Debian `fet-data`), converted into the placement
core and solved with CP-SAT beside FET's own `fet-cl` (`../shared/peers/README.md`, FET section).

Modules, in the order data flows through them (each imports only modules above it):
- `fetfile`: a .fet file as a plain record (`parse`), where the files are, and the XML written back
  (`locked_copy`: the file with a plan locked into it, for FET to accept);
- `supported`: the constraint set the converter can express; anything else is named (`Unsupported`);
- `interpret`: what the constraints mean for the model (subgroups, rooms, interchangeable lessons);
- `model`: the CP-SAT model (`build`: one encoding function per FET constraint type);
- `checker`: FET's output read back (`read_activities`, `soft_total`) and the one independent
  checker and scorer of timetables, FET's and ours alike (imports only `fetfile`);
- `solve`: first plan, soft objective, Benders over days, the conflict diagnosis
  (`python -m benchmarks.peers.fet FILE`);
- `run`: the suite, fet-cl and CP-SAT side by side (`python -m benchmarks.peers.fet.run`).

This file imports nothing: importing a module of the package runs no other.
"""
