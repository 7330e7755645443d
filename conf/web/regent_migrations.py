"""Regent's migration helper, run in the web container with a build's Python and environment.

    regent_migrations.py describe   prints one JSON object: whether a database is configured, the
                                    pending plan (each operation's kind and the fields Regent's
                                    checker reads), the build's known and the database's applied
                                    migrations. Runs no SQL but reading django_migrations.
    regent_migrations.py apply      runs `migrate --noinput`; the last line it prints is a JSON object,
                                    {"applied": [...]} or {"failed": "app.name", "error": "..."}.
Either prints {"unavailable": "..."} (exit 3) when the database accepts no connection.

It only describes and applies: whether a plan is safe is decided by Regent (Java), before `apply`.
Lock and statement timeouts come from PGOPTIONS in the environment, which libpq honours.
"""
import json
import sys
import time
import traceback


def setup():
    import django
    django.setup()


def database_configured():
    from django.conf import settings
    engine = (settings.DATABASES or {}).get('default', {}).get('ENGINE', '')
    return bool(engine) and not engine.endswith('.dummy')


def field_facts(field):
    from django.db.models.fields import NOT_PROVIDED
    return {
        'null': bool(field.null),
        'hasDefault': field.has_default(),
        # A default kept by the database (Django 5's db_default): rows written by code that does
        # not know the column still get a value.
        'dbDefault': getattr(field, 'db_default', NOT_PROVIDED) is not NOT_PROVIDED,
        'manyToMany': bool(getattr(field, 'many_to_many', False)),
    }


def sql_text(sql):
    if isinstance(sql, (list, tuple)):
        return ';\n'.join(sql_text(s) for s in sql)
    if isinstance(sql, dict):
        return str(sql)
    return str(sql)


def old_field(state, app_label, model, name):
    try:
        return state.models[(app_label, model.lower())].fields[name]
    except Exception:  # the state of an old Django keeps fields differently; then it is unknown
        return None


def operations(ops, app_label, state):
    """Flattens SeparateDatabaseAndState to the operations that run SQL, with each one's facts."""
    out = []
    for op in ops:
        kind = type(op).__name__
        if kind == 'SeparateDatabaseAndState':
            out.extend(operations(op.database_operations, app_label, state))
            continue
        facts = {'type': kind}
        model = getattr(op, 'model_name', None) or (getattr(op, 'name', None) if kind.endswith('Model') else None)
        if model:
            facts['model'] = model
        if hasattr(op, 'model_name') and hasattr(op, 'name'):
            facts['field'] = op.name
        if hasattr(op, 'old_name'):
            facts['oldName'] = op.old_name
            facts['newName'] = op.new_name
        if hasattr(op, 'field') and op.field is not None:
            facts.update(field_facts(op.field))
            if kind == 'AlterField':
                before = old_field(state, app_label, op.model_name, op.name)
                if before is not None:
                    facts['wasNull'] = bool(before.null)
        if kind == 'AlterModelTable':
            facts['newName'] = str(op.table)
        if kind == 'RunSQL':
            facts['sql'] = sql_text(op.sql)
        out.append(facts)
    return out


class Unavailable(Exception):
    """The database did not accept a connection: the host's problem, not the build's."""


def connect():
    from django.db import connection
    try:
        connection.ensure_connection()
    except Exception as e:  # OperationalError of any backend
        raise Unavailable('%s: %s' % (type(e).__name__, str(e).strip()))


def describe():
    setup()
    if not database_configured():
        return {'database': False, 'plan': [], 'known': [], 'applied': []}
    connect()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    executor = MigrationExecutor(connection)
    loader = executor.loader
    targets = loader.graph.leaf_nodes()
    plan = executor.migration_plan(targets)
    state = executor._create_project_state(with_applied_migrations=True)
    pending = []
    for migration, backwards in plan:
        ops = operations(migration.operations, migration.app_label, state)
        pending.append({'app': migration.app_label, 'name': migration.name, 'backwards': backwards,
                        'operations': ops})
        for op in migration.operations:
            op.state_forwards(migration.app_label, state)
    return {
        'database': True,
        'plan': pending,
        'known': sorted('%s.%s' % key for key in loader.disk_migrations),
        'applied': sorted('%s.%s' % key for key in loader.applied_migrations),
    }


def apply():
    setup()
    from django.core.management import call_command
    from django.core.management.commands.migrate import Command as Migrate
    connect()
    current = {'name': None, 'applied': [], 'started': None}

    class Tracking(Migrate):
        def migration_progress_callback(self, action, migration=None, fake=False):
            if action == 'apply_start':
                current['name'] = '%s.%s' % (migration.app_label, migration.name)
                current['started'] = time.monotonic()
            elif action == 'apply_success':
                current['applied'].append(current['name'])
                current['name'] = None
            super().migration_progress_callback(action, migration, fake)

    try:
        call_command(Tracking(), interactive=False, verbosity=1, stdout=sys.stdout)
    except Exception:
        # migrate prints "Applying x..." without a newline: the JSON must start its own line.
        print()
        seconds = None if current['started'] is None else round(time.monotonic() - current['started'], 3)
        print(json.dumps({'failed': current['name'], 'applied': current['applied'], 'seconds': seconds,
                          'error': traceback.format_exc()}))
        return 1
    print()
    print(json.dumps({'applied': current['applied']}))
    return 0


def main(argv):
    if len(argv) != 2 or argv[1] not in ('describe', 'apply'):
        print('usage: regent_migrations.py describe|apply', file=sys.stderr)
        return 2
    try:
        if argv[1] == 'describe':
            print(json.dumps(describe()))
            return 0
        return apply()
    except Unavailable as e:
        print()
        print(json.dumps({'unavailable': str(e)}))
        return 3


if __name__ == '__main__':
    sys.exit(main(sys.argv))
