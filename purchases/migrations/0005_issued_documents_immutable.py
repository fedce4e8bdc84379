"""Issued invoices and credit notes cannot be changed or deleted, even by a queryset update
or raw SQL: a correction is a new credit note. (TRUNCATE, used by test teardown, still works.)"""

from django.db import migrations

SQL = """
CREATE FUNCTION purchases_issued_document_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% %: issued documents cannot be changed or deleted',
        TG_TABLE_NAME, OLD.number USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER purchases_invoice_immutable
    BEFORE UPDATE OR DELETE ON purchases_invoice
    FOR EACH ROW EXECUTE FUNCTION purchases_issued_document_immutable();

CREATE TRIGGER purchases_creditnote_immutable
    BEFORE UPDATE OR DELETE ON purchases_creditnote
    FOR EACH ROW EXECUTE FUNCTION purchases_issued_document_immutable();
"""

REVERSE_SQL = """
DROP TRIGGER IF EXISTS purchases_creditnote_immutable ON purchases_creditnote;
DROP TRIGGER IF EXISTS purchases_invoice_immutable ON purchases_invoice;
DROP FUNCTION IF EXISTS purchases_issued_document_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("purchases", "0004_invoices_and_tax")]

    operations = [migrations.RunSQL(SQL, REVERSE_SQL)]
