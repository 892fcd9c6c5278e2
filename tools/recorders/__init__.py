"""Recorders: how to seed moto for each mapping module's resources (used by tools/record.py).

`tools/recorders/<name>.py` serves the resources `shared/mappings/<name>.py` declares, and
those of the modules named after it (`aws_efs_access_points` without a recorder of its own
is recorded with `aws_efs`'s). It seeds an account rich enough that every mapped field of
every resource of that module is filled at least once (tagged and untagged, each state,
each option), and says how its resources are paged. `tools/record.py` does the rest: it
lists each resource through the api stage's own fetch path and writes the pages. A
recorder may define:

- `seed(endpoint: str) -> None` (required for moto): create the resources, with boto3
  clients on `endpoint`, region `recording.REGION`;
- `PAGE_SIZE` (default 2) and `PAGE_SIZES` (`{resource key: size}`): enough items for two
  pages where moto pages the call, within what AWS accepts;
- `RAW`: the resource keys whose provider responses, tokens included, are also recorded
  (`pages/`), for the pagination tests;
- `SPLIT`: the keys moto answers in one page whatever the page size: their one page is
  split in two, the first marked with a next-page token;
- `before_raw(endpoint) -> None`: more resources created after the pages are listed and
  before the `RAW` responses are (e.g. a page's worth of bare items to page over);
- `PUBLISHED`: `{resource key: (region, region label)}` for the resources moto does not
  serve: listed from AWS's published responses replayed on loopback (tests/support/aws_replay.py);
- `SECRETS`: strings the seed puts where no fixture may show them: recording fails if one does;
- `AMIS`: moto's `MOTO_AMIS_PATH` AMI definitions (then the only AMIs moto knows).
"""
