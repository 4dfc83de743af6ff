"""The two sides' pages: answering a proposal, "I'm interested", missions."""

from django.http import Http404


def proposal_answer(request, pk):
    raise Http404  # being written: the proposal's answer page


def mission_detail(request, pk):
    raise Http404  # being written: the mission page
