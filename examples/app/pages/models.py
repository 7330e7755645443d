from django.db import models


class Note(models.Model):
    """A line of text kept in the database: it must survive promotions and rollbacks."""
    text = models.CharField(max_length=200)
    build = models.CharField(max_length=40)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ['id']
