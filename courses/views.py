from django.shortcuts import render


def catalog(request):
    return render(request, "core/placeholder.html", {"heading": "Catalog"})


def my_learning(request):
    return render(request, "core/placeholder.html", {"heading": "My learning"})
