from django.urls import path

from carenetwork.procurement import (
    views_award,
    views_board,
    views_consortium,
    views_ocds,
    views_officer,
    views_payments,
    views_questions,
)

app_name = "procurement"

urlpatterns = [
    path("", views_board.board, name="board"),
    path("<int:pk>/", views_board.detail, name="detail"),
    path("<int:pk>/interest/", views_board.interest, name="interest"),
    path("new/", views_officer.opportunity_form, name="new"),
    path("<int:pk>/edit/", views_officer.opportunity_form, name="edit"),
    path("<int:pk>/publish/", views_officer.publish, name="publish"),
    path("<int:pk>/cancel/", views_officer.cancel, name="cancel"),
    path("<int:pk>/delete/", views_officer.draft_delete, name="draft-delete"),
    path("advice/", views_officer.advice, name="advice"),
    path("<int:pk>/<slug:kind>/new/", views_officer.part_new, name="part-new"),
    path("parts/<slug:kind>/<int:pk>/edit/", views_officer.part_edit, name="part-edit"),
    path("parts/<slug:kind>/<int:pk>/remove/", views_officer.part_remove, name="part-remove"),
    path("<int:pk>/questions/", views_questions.ask, name="ask"),
    path("questions/", views_questions.unanswered, name="unanswered"),
    path("questions/<int:pk>/answer/", views_questions.answer, name="answer"),
    path("<int:pk>/consortium/", views_consortium.finder, name="consortium"),
    path("<int:pk>/consortium/post/", views_consortium.post_form, name="consortium-post"),
    path("consortium/<int:pk>/contact/", views_consortium.contact, name="consortium-contact"),
    path("<int:pk>/award/", views_award.award, name="award"),
    path("bids/<int:pk>/feedback/", views_award.feedback, name="feedback"),
    path("payments/", views_payments.summary, name="payments"),
    path("payments/compliance.csv", views_payments.compliance_csv, name="payments-compliance-csv"),
    path("payments/over-30000.csv", views_payments.large_payments_csv, name="payments-large-csv"),
    path("payments/compliance.xlsx", views_payments.compliance_csv, {"fmt": "xlsx"}, name="payments-compliance-xlsx"),
    path("payments/over-30000.xlsx", views_payments.large_payments_csv, {"fmt": "xlsx"}, name="payments-large-xlsx"),
    path("contracts/<int:pk>/", views_payments.contract, name="contract"),
    path("contracts/<int:pk>/invoices/new/", views_payments.invoice_form, name="invoice-new"),
    path("invoices/<int:pk>/edit/", views_payments.invoice_form, name="invoice-edit"),
    path("ocds/", views_ocds.package_list, name="ocds-list"),
    path("<int:pk>/ocds.json", views_ocds.package, name="ocds-package"),
]
