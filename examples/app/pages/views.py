import json
import os
import random
import time
from pathlib import Path

from django.conf import settings
from django import forms
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from pages.models import Note

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


def slow(request):
    """Answers after ?seconds= (at most 30): a long request to hold in flight across a promotion."""
    seconds = min(float(request.GET.get('seconds', '2')), 30.0)
    time.sleep(seconds)
    return HttpResponse('slept %.1f s in build %s' % (seconds, os.environ.get('REGENT_BUILD', 'unknown')),
                        content_type='text/plain')


def fail(request):
    """Fails (raises, so Django answers 500) with probability ?rate= (0..1, default 1): a build that
    passes its health check but fails a share of real requests."""
    rate = min(max(float(request.GET.get('rate', '1')), 0.0), 1.0)
    if random.random() < rate:
        raise RuntimeError('failing on purpose (rate %.2f) in build %s' % (rate, os.environ.get('REGENT_BUILD', 'unknown')))
    return HttpResponse('ok from build %s' % os.environ.get('REGENT_BUILD', 'unknown'), content_type='text/plain')


@csrf_exempt
def echo(request):
    """Returns the body of a POST: writes under load must survive promotions too."""
    if request.method != 'POST':
        return HttpResponse(status=405)
    return HttpResponse(request.body, content_type='text/plain')


@csrf_exempt
def notes(request):
    """GET lists the notes in the database; POST adds one (form field text): data that outlives builds."""
    if request.method == 'POST':
        text = request.POST.get('text', '').strip()[:200]
        if not text:
            return HttpResponse('text is required', status=400, content_type='text/plain')
        Note.objects.create(text=text, build=os.environ.get('REGENT_BUILD', 'unknown'))
    elif request.method != 'GET':
        return HttpResponse(status=405)
    return JsonResponse({
        'build': os.environ.get('REGENT_BUILD', 'unknown'),
        'notes': [{'text': n.text, 'build': n.build} for n in Note.objects.all()],
    })


class ContactForm(forms.Form):
    text = forms.CharField(max_length=200)


def contact(request):
    """A form protected by Django's CSRF middleware: GET renders it, a valid POST saves a Note and
    redirects (303) to the page again; a POST without the cookie and token is refused (403)."""
    if request.method == 'POST':
        form = ContactForm(request.POST)
        if form.is_valid():
            Note.objects.create(text=form.cleaned_data['text'], build=os.environ.get('REGENT_BUILD', 'unknown'))
            response = redirect('contact')
            response.status_code = 303
            return response
    elif request.method == 'GET':
        form = ContactForm()
    else:
        return HttpResponse(status=405)
    return render(request, 'pages/contact.html', {
        'form': form,
        'build': os.environ.get('REGENT_BUILD', 'unknown'),
        'notes': Note.objects.order_by('-id')[:5],
    }, status=400 if form.errors else 200)


def whoami(request):
    """What Django sees of this request behind Regent's proxy."""
    return JsonResponse({
        'secure': request.is_secure(),
        'scheme': request.scheme,
        'remote_addr': request.META.get('REMOTE_ADDR'),
        'request_id': request.META.get('HTTP_X_REQUEST_ID'),
        'host': request.get_host(),
        'build': os.environ.get('REGENT_BUILD'),
    })
