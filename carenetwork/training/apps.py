from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "carenetwork.training"
    label = "training"
    verbose_name = "Training brokerage"
