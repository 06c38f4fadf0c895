from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "carenetwork.training"
    label = "training"
    verbose_name = "Training brokerage"

    def ready(self):
        # Shows this capability to the portal (navigation, home-page panels, demo, volume, benchmark), has
        # partners' delegate names follow the records' retention rule, removed by the same daily job, and keeps the
        # programme report's provider counts in step with organisations' standing and sectors, and with deleted runs.
        from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

        from carenetwork.organisations.models import Organisation
        from carenetwork.records.retention import retention_step_register
        from carenetwork.training import portal_registration  # noqa: F401
        from carenetwork.training import programme_figures as figures
        from carenetwork.training.models import CourseRun
        from carenetwork.training.retention import delegate_names_remove

        retention_step_register("delegate_names", delegate_names_remove)
        uid = "training.programme_figures."
        pre_save.connect(figures.organisation_saving, sender=Organisation, dispatch_uid=uid + "saving")
        post_save.connect(figures.organisation_saved, sender=Organisation, dispatch_uid=uid + "saved")
        pre_delete.connect(figures.organisation_deleting, sender=Organisation, dispatch_uid=uid + "deleting")
        m2m_changed.connect(figures.sectors_changed, sender=Organisation.sectors.through, dispatch_uid=uid + "sectors")
        pre_delete.connect(figures.run_deleting, sender=CourseRun, dispatch_uid=uid + "run")
