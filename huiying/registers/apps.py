from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "huiying.registers"
    verbose_name = "纸质台账导入"
