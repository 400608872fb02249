"""gunicorn's settings for the production image (Dockerfile, docker-compose.yml).

The access log leaves out the query string and the referrer: patient search puts
names and phone numbers in the query (``/patients/?q=…``, ``?search=…``), and the
referrer repeats the previous page's query. Method, path, status, size and time are
what an operator needs. Command-line options still win over these.
"""

import os

bind = "0.0.0.0:8000"
# gunicorn also reads WEB_CONCURRENCY itself; stated here so the default is visible.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"
# %(U)s is the path without the query string; %(r)s (the default's request line) has it.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
