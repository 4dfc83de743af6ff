"""URLs of the review, consent and mission steps: staff review, then each side's pages."""

from .urls_parties import urlpatterns as party_urls
from .urls_review import urlpatterns as review_urls

urlpatterns = review_urls + party_urls
