"""Command-line commands (flask --app wsgi …), calling the same services as the web."""
import click
from flask.cli import AppGroup

from drafting.boundary import commit
from drafting.domain.errors import DomainError
from drafting.extensions import db
from drafting.services import accounts

users = AppGroup("users", help="Manage accounts.")


@users.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--password", required=True)
@click.option("--organisation", default="")
@click.option("--group", "stakeholder_group", default=None)
@click.option("--admin", is_flag=True, help="Make the account a site administrator.")
def create_user(email, name, password, organisation, stakeholder_group, admin):
    """Create an account."""
    try:
        user = accounts.create_user(email, name, password, organisation, stakeholder_group, is_admin=admin)
        commit()
    except DomainError as error:
        raise click.ClickException(error.message)
    click.echo(f"Created {user.email}{' (site admin)' if admin else ''}.")


@users.command("token")
@click.argument("email")
@click.option("--label", default="command line")
def token(email, label):
    """Print a new personal API token for an account."""
    user = accounts.find_by_email(email.strip().lower())
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    secret = accounts.issue_token(user, label)
    commit()
    click.echo(secret)


@click.command("demo")
@click.option("--reset", is_flag=True, help="Remove the demo meeting with all that was done in it and load it afresh.")
def demo(reset):
    """Load the demo meeting (does nothing when it is there) and print the demo accounts."""
    from drafting import demo as demo_data

    created = demo_data.reset() if reset else demo_data.load()
    commit()
    if reset:
        click.echo("The demo meeting is loaded afresh; the demo accounts have the demo password again.")
    else:
        click.echo("Loaded the demo meeting." if created else "The demo meeting is there already.")
    click.echo("Demo accounts (password for all: %s):" % demo_data.PASSWORD)
    for email, role in demo_data.ACCOUNTS:
        click.echo(f"  {email:40} {role}")


@click.command("demo-if-empty")
def demo_if_empty():
    """Load the demo meeting when the database has no meetings."""
    from drafting import demo as demo_data
    from drafting.models import Meeting

    if db.session.execute(db.select(Meeting.id).limit(1)).first() is None:
        demo_data.load()
        commit()
        click.echo("Loaded the demo meeting. Demo accounts (password %s):" % demo_data.PASSWORD)
        for email, role in demo_data.ACCOUNTS:
            click.echo(f"  {email:40} {role}")


procedure_commands = AppGroup("procedure", help="The procedure of documents.")


@procedure_commands.command("tick")
def procedure_tick():
    """Adopt every document whose silence procedure reached its deadline (run it from a scheduler)."""
    from drafting.services import procedure

    adopted = procedure.tick()
    commit()
    for document in adopted:
        click.echo(f"Adopted document {document.id} ({document.title}): no objection by the deadline.")
    click.echo(f"{len(adopted)} document(s) adopted.")


mail_commands = AppGroup("mail", help="The outbox: list it, send what is due.")


@mail_commands.command("send")
@click.option("--limit", type=int, default=None, help="Try at most this many mails.")
def mail_send(limit):
    """Write the daily digests that are due and send the queued mails (run it from cron)."""
    from drafting.services import mail, notifications

    if not mail.sending_enabled():
        raise click.ClickException("No mail server is set (DRAFTING_MAIL_URL): mails stay in the outbox.")
    digests = notifications.queue_due_digests()
    commit()
    report = mail.send_due(limit)
    click.echo(f"{digests} digest(s) written; {report.sent} sent, {report.retrying} to retry, "
               f"{report.failed} failed for good.")
    for error in sorted(set(report.errors))[:10]:
        click.echo(f"  {error}", err=True)


@mail_commands.command("list")
@click.option("--state", type=click.Choice(["queued", "sending", "sent", "failed"]), default=None)
@click.option("--limit", type=int, default=50)
@click.option("--body", is_flag=True, help="Print each mail's text too.")
def mail_list(state, limit, body):
    """Print the outbox, newest first (what would be sent when no mail server is set)."""
    from drafting.services import mail

    mails = mail.listing(state, limit)
    for item in mails:
        to = f"{item.to_name} <{item.to_email}>" if item.to_name else item.to_email
        click.echo(f"#{item.id:<6} {item.state:8} {item.attempts} {item.created_at:%Y-%m-%d %H:%M}  {to}  "
                   f"{item.subject}")
        if item.last_error:
            click.echo(f"         last error: {item.last_error}")
        if body:
            click.echo("\n".join("         " + line for line in item.text_body.splitlines()))
    counts = mail.counts()
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items()))


def register(app):
    from drafting.backup import backup, restore

    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(users)
    app.cli.add_command(procedure_commands)
    app.cli.add_command(mail_commands)
    app.cli.add_command(demo)
    app.cli.add_command(demo_if_empty)
