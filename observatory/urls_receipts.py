"""URLs of the structures' mécénat receipt data (included under mecenat/)."""

from django.urls import path

from . import views_receipts

urlpatterns = [
    path(
        "structures/<int:pk>/recus/",
        views_receipts.receipt_list,
        name="receipt_list",
    ),
    path(
        "structures/<int:pk>/recus/<int:company_pk>/<int:year>/",
        views_receipts.receipt_detail,
        name="receipt_detail",
    ),
]
