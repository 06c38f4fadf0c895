from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "carenetwork.training"
    label = "training"
    verbose_name = "Training brokerage"

    def ready(self):
        # Shows this capability to the portal (navigation, home-page panels, demo, volume, benchmark), and has
        # partners' delegate names follow the records' retention rule, removed by the same daily job.
        from carenetwork.records.retention import retention_step_register
        from carenetwork.training import portal_registration  # noqa: F401
        from carenetwork.training.retention import delegate_names_remove

        retention_step_register("delegate_names", delegate_names_remove)
