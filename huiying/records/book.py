"""The only writer of the record book, and its verifier."""
import dataclasses
import datetime as dt
import hashlib
import json
import uuid

from django.db import transaction

from huiying.core import clock

from .models import ChainHead, RecordEntry

GENESIS = "0" * 64


def _canonical(entry: RecordEntry) -> bytes:
    fields = {
        "county": entry.county_id,
        "seq": entry.seq,
        "at": entry.at.astimezone(dt.timezone.utc).isoformat(timespec="microseconds"),
        "action": entry.action,
        "actor": entry.actor_id,
        "actor_name": entry.actor_name,
        "unit": entry.unit_id,
        "concern": entry.concern_id,
        "visit": entry.visit_id,
        "from_state": entry.from_state,
        "to_state": entry.to_state,
        "payload": entry.payload,
        "group": str(entry.group),
        "prev_hash": entry.prev_hash,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(entry: RecordEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def append(*, county_id: int, action: str, actor=None, unit_id: int | None = None, concern=None, visit=None,
           from_state: str = "", to_state: str = "", payload: dict | None = None, group: uuid.UUID | None = None, at=None) -> RecordEntry:
    """Append one entry to `county_id`'s book. Must run inside the caller's transaction so
    the entry and the change it records commit or roll back together."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record entries are written inside the transaction of the change they record")
    # The payload goes through JSON once here so that what we hash is what the database returns.
    payload = json.loads(json.dumps(payload or {}, ensure_ascii=False, default=str))
    head, _ = ChainHead.objects.get_or_create(county_id=county_id)
    head = ChainHead.objects.select_for_update().get(pk=head.pk)
    at = at or clock.now()
    entry = RecordEntry(
        county_id=county_id, seq=head.seq + 1, at=at, action=action,
        actor=actor if actor is not None and actor.pk else None,
        actor_name=(actor.get_full_name() or actor.get_username()) if actor is not None else "",
        unit_id=unit_id, concern=concern, visit=visit, from_state=from_state or "", to_state=to_state or "",
        payload=payload, group=group or uuid.uuid4(), prev_hash=head.hash,
    )
    entry.hash = entry_hash(entry)
    entry.save()
    ChainHead.objects.filter(pk=head.pk).update(seq=entry.seq, hash=entry.hash)
    return entry


@dataclasses.dataclass
class Break:
    county_id: int
    entry_id: int | None
    seq: int
    reason: str


def verify(*, county_id: int | None = None) -> tuple[int, list[Break]]:
    """Recompute every chain. Returns (entries checked, the first break of each county)."""
    checked, breaks = 0, []
    heads = ChainHead.objects.all() if county_id is None else ChainHead.objects.filter(county_id=county_id)
    for head in heads.order_by("county_id"):
        prev, expected_seq, broken = GENESIS, 1, None
        for entry in RecordEntry.objects.filter(county_id=head.county_id).order_by("seq").iterator(chunk_size=2000):
            checked += 1
            if entry.seq != expected_seq:
                broken = Break(head.county_id, entry.id, expected_seq, f"entry #{expected_seq} is missing (found #{entry.seq})")
            elif entry.prev_hash != prev:
                broken = Break(head.county_id, entry.id, entry.seq, "does not link to the previous entry")
            elif entry_hash(entry) != entry.hash:
                broken = Break(head.county_id, entry.id, entry.seq, "its content does not match its hash (altered)")
            if broken:
                break
            prev, expected_seq = entry.hash, expected_seq + 1
        if broken is None and (head.seq != expected_seq - 1 or head.hash != prev):
            broken = Break(head.county_id, None, expected_seq, f"the book ends at #{expected_seq - 1} but #{head.seq} was written (entries removed)")
        if broken:
            breaks.append(broken)
    return checked, breaks
