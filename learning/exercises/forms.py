"""The SQL editor: a plain textarea, so the exercise works without JavaScript."""

from django import forms

from learning.sql_sandbox import MAX_QUERY_CHARS


class RunForm(forms.Form):
    sql = forms.CharField(
        label="Your SQL query",
        max_length=MAX_QUERY_CHARS,
        strip=False,
        widget=forms.Textarea(
            attrs={
                "rows": 10,
                "spellcheck": "false",
                "autocapitalize": "off",
                "autocomplete": "off",
                "class": "sql-editor",
            }
        ),
        error_messages={"required": "Write a query first."},
    )
