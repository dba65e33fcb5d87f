"""Comments under articles: moderation with author state, and moderator actions."""
