from django.shortcuts import render


def orders(request):
    return render(request, "core/placeholder.html", {"heading": "My orders"})


def checkout(request, slug):
    return render(request, "core/placeholder.html", {"heading": "checkout"})
