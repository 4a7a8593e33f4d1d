"""An aiosmtpd handler for the mail tests: a real SMTP server on loopback that keeps every
accepted message in a Maildir, and refuses some recipients the way real servers do:
  *@refused.example  -> 550 (permanent: unknown mailbox)
  *@busy.example     -> 451 (transient: try again later)

Run: PYTHONPATH=tests/smtp /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:PORT \
       -c policy_handler.PolicyMailbox MAILDIR
"""
import mailbox


class PolicyMailbox:
    def __init__(self, maildir):
        self.box = mailbox.Maildir(maildir, create=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("PolicyMailbox needs the Maildir path")
        return cls(args[0])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        domain = address.rsplit("@", 1)[-1].lower()
        if domain == "refused.example":
            return "550 5.1.1 No such mailbox here"
        if domain == "busy.example":
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.box.add(envelope.original_content)
        return "250 Message accepted for delivery"
