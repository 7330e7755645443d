import json
import os
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render

# Written by Regent beside the app folder when the build is complete.
BUILD_RECORD = Path(settings.BASE_DIR).parent / 'regent-build.json'


def _commit():
    try:
        return json.loads(BUILD_RECORD.read_text()).get('commit', '')
    except (OSError, ValueError):
        return os.environ.get('REGENT_COMMIT', '')


def index(request):
    return render(request, 'pages/index.html', {
        'build': os.environ.get('REGENT_BUILD', 'unknown'),
        'commit': _commit()[:12],
    })


def healthz(request):
    return HttpResponse('ok', content_type='text/plain')
