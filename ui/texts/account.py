"""Texts of sign-in, the account box of the sidebar and demo mode: key -> (French, English)."""

TEXT = {
    "page": ("Se connecter", "Sign in"),
    "title": ("Se connecter", "Sign in"),
    "intro": (
        "Les tableaux de bord sont publics ; se connecter permet aux équipes des villes de déposer leurs fichiers et à la coordination de suivre les chargements.",
        "Dashboards are public; signing in lets city teams upload their files and coordinators follow the loads.",
    ),
    "intro_required": (
        "Ce tableau de bord est réservé aux comptes autorisés : connectez-vous pour le consulter.",
        "This dashboard is for authorised accounts: sign in to view it.",
    ),
    "oidc": ("Se connecter avec le compte de mon organisation", "Sign in with my organisation's account"),
    "oidc_help": (
        "Vous serez redirigé vers le fournisseur d'identité, puis ramené ici.",
        "You will be sent to the identity provider, then brought back here.",
    ),
    "local": ("Compte local", "Local account"),
    "login": ("Identifiant", "Login"),
    "password": ("Mot de passe", "Password"),
    "submit": ("Se connecter", "Sign in"),
    "missing": ("Saisissez votre identifiant et votre mot de passe.", "Enter your login and password."),
    "none_configured": (
        "Aucune méthode de connexion n'est configurée : les dépôts de fichiers sont refusés. Pour les ouvrir, "
        "configurez un fournisseur OpenID Connect dans `.streamlit/secrets.toml` (section `[auth]`), ou créez un compte "
        "local : `python -m etl users add LOGIN --role editor --city CODE`. Voir docs/deployment.md.",
        "No sign-in method is configured: file uploads are refused. To open them, configure an OpenID Connect provider "
        "in `.streamlit/secrets.toml` (`[auth]` section), or create a local account: "
        "`python -m etl users add LOGIN --role editor --city CODE`. See docs/deployment.md.",
    ),
    "session_ended": (
        "Vous avez été déconnecté : votre compte a changé depuis votre connexion (mot de passe, rôle ou villes) "
        "ou a été supprimé. Connectez-vous à nouveau.",
        "You have been signed out: your account changed since you signed in (password, role or cities) "
        "or was removed. Sign in again.",
    ),
    "signed_in": ("Connecté : **{name}** · {role}", "Signed in: **{name}** · {role}"),
    "cities": ("Villes : {cities}", "Cities: {cities}"),
    "no_role": (
        "Votre compte n'a pas encore de rôle d'éditeur : demandez à la coordination nationale de vous en attribuer un.",
        "Your account has no editor role yet: ask the national coordinators to give you one.",
    ),
    "sign_out": ("Se déconnecter", "Sign out"),
    "demo": ("Mode démonstration", "Demo mode"),
    "demo_help": (
        "Sans mot de passe : choisissez un rôle pour essayer l'application. Les dépôts n'écrivent que dans la base de démonstration.",
        "No password: pick a role to try the app. Uploads only write to the demo database.",
    ),
    "demo_role": ("Rôle", "Role"),
    "demo_city": ("Ville de l'équipe", "City of the team"),
    "demo_banner": (
        "Mode démonstration : pas de mot de passe, vous agissez comme « {role} ». Rien de ce que vous déposez ne touche de vraies données.",
        "Demo mode: no password, you act as “{role}”. Nothing you upload touches real data.",
    ),
}
