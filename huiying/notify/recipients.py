"""Who is texted about a concern: the phones of its villagers and the phone a villager left
when submitting it themselves (each number once)."""
from huiying.concerns.models import Concern
from huiying.selfservice.selectors import contact_phones


def phones_for(concern: Concern) -> list[str]:
    phones = list(concern.villagers.exclude(phone="").order_by("id").values_list("phone", flat=True))
    return list(dict.fromkeys(phones + contact_phones(concern)))
