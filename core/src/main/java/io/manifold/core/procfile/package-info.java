/** The Procfile: an app's process types and their commands, parsed by Heroku's rules. */
package io.manifold.core.procfile;
