"""Who is texted about a concern: the phones of its villagers (each once)."""
from huiying.concerns.models import Concern


def phones_for(concern: Concern) -> list[str]:
    phones = concern.villagers.exclude(phone="").order_by("id").values_list("phone", flat=True)
    return list(dict.fromkeys(phones))
