#!/usr/bin/python3
"""Turn a message (.eml) into JSON for the HTTP tests, with Python's email package.

    mailparse.py FILE.eml

Prints one JSON object:
  headers      every header, decoded (RFC 2047 words become text): name -> value,
               or a list of values when the header repeats
  raw_headers  the same, as they were written (folded lines joined)
  from, to     {"name": ..., "addr": ...} of the first address in each
  parts        every leaf part in order: {"type", "charset", "disposition",
               "filename", "text" (decoded, for text/*), "base64" (others)}
  text, html   the decoded text/plain and text/html bodies (null when absent)
  attachments  the parts with a filename: {"filename", "type", "content_type"
               (the whole header, parameters and all), "text" or "base64"}
  lines        {"crlf": every line ends in CRLF, "bare_lf", "bare_cr" counts,
                "longest": the longest line in octets, its CRLF left out,
                "longest_header": the same for the header block}
  defects      what the parser found wrong, as strings
"""
import base64
import email
import email.policy
import email.utils
import json
import sys


def line_facts(data):
    head_end = data.find(b'\r\n\r\n')
    head = data[:head_end] if head_end >= 0 else data
    lines = data.split(b'\r\n')
    return {
        'crlf': data.endswith(b'\r\n') and b'\n' not in data.replace(b'\r\n', b'')
        and b'\r' not in data.replace(b'\r\n', b''),
        'bare_lf': data.replace(b'\r\n', b'').count(b'\n'),
        'bare_cr': data.replace(b'\r\n', b'').count(b'\r'),
        'longest': max(len(l) for l in lines),
        'longest_header': max(len(l) for l in head.split(b'\r\n')),
    }


def address(value):
    if not value:
        return None
    name, addr = email.utils.parseaddr(str(value))
    return {'name': name, 'addr': addr}


def headers_of(msg, raw):
    out = {}
    for name in msg.keys():
        if name in out:
            continue
        values = msg.get_all(name) if not raw else msg.raw_items()
        if raw:
            values = [v for k, v in msg.raw_items() if k.lower() == name.lower()]
            values = [' '.join(part.strip() for part in v.splitlines()) for v in values]
        else:
            values = [str(v) for v in values]
        out[name] = values[0] if len(values) == 1 else values
    return out


def part_of(part):
    out = {
        'type': part.get_content_type(),
        'charset': part.get_content_charset(),
        'disposition': part.get_content_disposition(),
        'filename': part.get_filename(),
        'content_type': str(part['Content-Type']) if part['Content-Type'] else None,
        'transfer_encoding': str(part['Content-Transfer-Encoding'] or ''),
    }
    if part.get_content_maintype() == 'text':
        # Line ends as the text had them, not as the transfer wrote them.
        out['text'] = part.get_content().replace('\r\n', '\n')
    else:
        out['base64'] = base64.b64encode(part.get_payload(decode=True) or b'').decode()
    return out


def main():
    data = open(sys.argv[1], 'rb').read()
    msg = email.message_from_bytes(data, policy=email.policy.default)
    parts = [part_of(p) for p in msg.walk() if not p.is_multipart()]
    body_text = msg.get_body(preferencelist=('plain',))
    body_html = msg.get_body(preferencelist=('html',))
    out = {
        'headers': headers_of(msg, False),
        'raw_headers': headers_of(msg, True),
        'from': address(msg['From']),
        'to': address(msg['To']),
        'content_type': msg.get_content_type(),
        'parts': parts,
        'text': body_text.get_content().replace('\r\n', '\n') if body_text is not None else None,
        'html': body_html.get_content().replace('\r\n', '\n') if body_html is not None else None,
        'attachments': [p for p in parts if p['filename']],
        'lines': line_facts(data),
        'defects': [repr(d) for p in msg.walk() for d in p.defects],
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == '__main__':
    main()
