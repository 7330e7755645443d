package dev.regent.e2e;

/**
 * A notes app added to the sample project in a stack's repository: a model, its first migration, and
 * a page (/notes) that lists every note with all its columns (GET) or adds one (POST title=...).
 * Each later commit is the base plus one kind of second migration.
 */
final class NotesProject {
    private static final String APP = "examples/app/notes/";
    private static final String MODEL_BASE = """
            from django.db import models


            class Note(models.Model):
                title = models.CharField(max_length=100)
                body = models.TextField(null=True)
            """;
    private static final String VIEWS = """
            import os

            from django.http import HttpResponse
            from django.views.decorators.csrf import csrf_exempt

            from notes.models import Note


            @csrf_exempt
            def notes(request):
                if request.method == 'POST':
                    Note.objects.create(title=request.POST['title'], **BODY(os.environ.get('REGENT_BUILD', '')))
                    return HttpResponse('created', status=201)
                rows = [' '.join(str(v) for v in row) for row in Note.objects.order_by('id').values_list(*COLUMNS)]
                return HttpResponse('\\n'.join(rows) + '\\n', content_type='text/plain')
            """;
    private static final String READS_BODY = "COLUMNS = ('title', 'body')\nBODY = lambda build: {'body': 'by ' + build}\n";
    private static final String NO_BODY = "COLUMNS = ('title',)\nBODY = lambda build: {}\n";
    private static final String INITIAL = """
            from django.db import migrations, models


            class Migration(migrations.Migration):
                initial = True
                dependencies = []
                operations = [
                    migrations.CreateModel(name='Note', fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                        ('title', models.CharField(max_length=100)),
                        ('body', models.TextField(null=True)),
                    ]),
                ]
            """;

    private NotesProject() {
    }

    /** Commits the base and one commit per second migration; the working tree ends at the base. */
    static MigrationsE2E.Commits commit(Stack stack) {
        String settings = "examples/app/mysite/settings.py";
        stack.write(settings, stack.read(settings).replace("'pages',", "'pages',\n    'notes',"));
        String urls = "examples/app/mysite/urls.py";
        stack.write(urls, stack.read(urls).replace("from pages import views", "from pages import views\nimport notes.views")
                .replace("urlpatterns = [", "urlpatterns = [\n    path('notes', notes.views.notes, name='notes'),"));
        stack.write(APP + "__init__.py", "");
        stack.write(APP + "migrations/__init__.py", "");
        stack.write(APP + "migrations/0001_initial.py", INITIAL);
        base(stack);
        String base = stack.commitAll("notes app");

        stack.write(APP + "migrations/0002_raise.py", second("""
                def boom(apps, schema_editor):
                    raise RuntimeError('boom in notes.0002_raise')
                """, "migrations.RunPython(boom)"));
        String raises = stack.commitAll("a migration that raises");
        base(stack);

        stack.write(APP + "models.py", MODEL_BASE.replace("    body = models.TextField(null=True)\n", ""));
        stack.write(APP + "views.py", NO_BODY + VIEWS);
        stack.write(APP + "migrations/0002_drop_body.py", second("", "migrations.RemoveField(model_name='note', name='body')"));
        String dropsBody = stack.commitAll("drop the body column");
        base(stack);

        stack.write(APP + "models.py", MODEL_BASE + "    flag = models.BooleanField(null=True)\n");
        stack.write(APP + "migrations/0002_add_flag.py", second("",
                "migrations.AddField(model_name='note', name='flag', field=models.BooleanField(null=True))"));
        String addsFlag = stack.commitAll("add a nullable flag");
        base(stack);

        stack.write(APP + "models.py", MODEL_BASE + "    tag = models.CharField(max_length=20, null=True)\n");
        stack.write(APP + "migrations/0002_add_tag.py", second("",
                "migrations.AddField(model_name='note', name='tag', field=models.CharField(max_length=20, null=True))"));
        String addsTag = stack.commitAll("add a nullable tag");
        base(stack);
        stack.commitAll("back to the base");
        return new MigrationsE2E.Commits(base, raises, dropsBody, addsFlag, addsTag);
    }

    private static void base(Stack stack) {
        stack.write(APP + "models.py", MODEL_BASE);
        stack.write(APP + "views.py", READS_BODY + VIEWS);
        for (String name : new String[] {"0002_raise.py", "0002_drop_body.py", "0002_add_flag.py", "0002_add_tag.py"}) {
            try {
                java.nio.file.Files.deleteIfExists(stack.root.resolve(APP + "migrations/" + name));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private static String second(String code, String operation) {
        return "from django.db import migrations, models\n\n\n" + code + "\n\nclass Migration(migrations.Migration):\n"
                + "    dependencies = [('notes', '0001_initial')]\n    operations = [" + operation + "]\n";
    }
}
