"""CloudSearch domains, from the responses AWS publishes (moto serves no CloudSearch).

The list responses are the examples of AWS's documentation (tests/fixtures/aws/published/,
each with its source), replayed on loopback (tests/support/aws_replay.py).
"""

PAGE_SIZE = 20
PUBLISHED = {"aws.cloudsearch.domains": ("us-east-1", "us-east-1 (N. Virginia)")}
