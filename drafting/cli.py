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


def register(app):
    from drafting.backup import backup, restore

    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(users)
    app.cli.add_command(procedure_commands)
    app.cli.add_command(demo)
    app.cli.add_command(demo_if_empty)
