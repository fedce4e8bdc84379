from django.shortcuts import render


def rate(request, slug):
    return render(request, "core/placeholder.html", {"heading": "rate"})


def list(request, slug):
    return render(request, "core/placeholder.html", {"heading": "list"})
