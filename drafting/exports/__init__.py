"""The outcome document as files: Markdown, DOCX, PDF and Akoma Ntoso XML; and Markdown back in."""
