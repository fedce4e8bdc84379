from django import forms


class CertificateNameForm(forms.Form):
    learner_name = forms.CharField(
        label="Name on your certificate",
        max_length=120,
        help_text="As you want it printed; it cannot change once the certificate is issued.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
