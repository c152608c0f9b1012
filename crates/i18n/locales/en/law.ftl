# law
