"""The four legal pages, each with a first version to edit (demo texts: replace before launch)."""

from django.db import migrations
from django.utils import timezone

PRIVACY = """\
Data School ("we") runs this website. This notice explains which personal data we keep,
why, and for how long.

## What we keep

- **Your account:** your email address, password (stored only as a salted hash), display
  name, short bio and profile picture, if you add them.
- **Your learning:** the courses you are enrolled in, the lessons you completed, your
  ratings, reviews and blog comments.
- **Your orders:** the course, price, date and the email address at the time of purchase.
  Card details are entered at Stripe, our payment provider; we never see a card number.
- **Server logs:** for security, our servers log requests (address, time, page) for up to
  14 days.

## Cookies

We set **only the cookies the site needs to work**:

| Cookie | Why | How long |
| --- | --- | --- |
| `sessionid` | keeps you signed in | two weeks, or until you log out |
| `csrftoken` | protects forms against cross-site request forgery | one year |
| `messages` | shows a one-time notice after an action ("You are enrolled") | until it is shown |

A language preference cookie may be added when the site offers more languages. We use **no
analytics, advertising or tracking cookies** and no third-party scripts that set them.
Because every cookie is strictly necessary, the site does not need, and does not show, a
cookie banner.

## Who else sees your data

Stripe processes payments; our email provider delivers the emails you ask for (account
verification, receipts, replies to your comments). We sell no data to anyone.

## Deleting your account

You can delete your account at any time from your profile ("Delete my account"). When you do:

- **Erased at once:** your profile (name, bio, picture), email addresses, password,
  two-factor settings, enrolments and progress, ratings and likes. Your blog comments remain
  visible without your name.
- **Kept, anonymised:** your orders and invoices. Tax law requires us to keep accounting
  records for **10 years**, so they are detached from your account and keep only what an
  invoice must show (course, amount, date and the billing email address); they are erased
  when that period ends.

## Your rights

You may ask for a copy of your data, its correction or its erasure, and you may complain to
a data protection authority. Write to privacy@dataschool.local.
"""

TERMS = """\
These terms apply when you use Data School.

1. **Your account.** Keep your password to yourself; you are responsible for what happens
   under your account. One account per person.
2. **Courses.** Buying a course gives you a personal, non-transferable right to study it
   for as long as the course is offered. Do not share paid material.
3. **Payments and refunds.** Prices include VAT where it applies. Ask within 14 days of a
   purchase for a full refund.
4. **Your contributions.** Reviews and comments must be lawful and respectful; we may remove
   those that are not. You keep the rights to what you write and allow us to show it on the
   site.
5. **Changes.** When these terms change we publish a new version here; the version you
   accepted stays readable.
"""

IMPRINT = """\
**Data School** (demo)
Example Street 1
12345 Example City

Email: hello@dataschool.local

Responsible for the content: the Data School team.
"""

ACCESSIBILITY = """\
We want everyone to be able to study with Data School. The site aims to meet the Web
Content Accessibility Guidelines (WCAG) 2.1 at level AA: every page is checked
automatically for valid HTML and common accessibility problems, works with a keyboard and
a screen reader, and reflows on small screens.

**Known limitations:** some videos embedded from third parties may lack captions.

**Feedback:** if something stands in your way, write to hello@dataschool.local and we will
answer within a week.
"""


DOCUMENTS = [
    ("privacy", "Privacy notice", PRIVACY),
    ("terms", "Terms of use", TERMS),
    ("imprint", "Imprint and contact", IMPRINT),
    ("accessibility", "Accessibility statement", ACCESSIBILITY),
]


def seed(apps, schema_editor):
    LegalDocument = apps.get_model("legal", "LegalDocument")
    LegalVersion = apps.get_model("legal", "LegalVersion")
    now = timezone.now()
    for kind, title, body in DOCUMENTS:
        document, _ = LegalDocument.objects.get_or_create(kind=kind, defaults={"title": title})
        if not LegalVersion.objects.filter(document=document).exists():
            LegalVersion.objects.create(document=document, number=1, body=body, published_at=now)


class Migration(migrations.Migration):
    dependencies = [("legal", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
