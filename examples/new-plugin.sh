#!/usr/bin/env bash
# Starts a new anycastd plugin from examples/plugin-template in one command:
#   examples/new-plugin.sh ~/anycastd-my-check
# It installs anycastd's artifacts (BOM, core, testkit, ...) into the local Maven repository
# when they are not there yet, copies the template to the directory given, and builds it there:
# the copy starts green (its contract tests pass), ready to rename and change (docs/PLUGINS.md).
set -euo pipefail
if [ $# -ne 1 ]; then
    echo "usage: $0 DIRECTORY   (a new plugin project is created there)" >&2
    exit 64
fi
target=$1
if [ -e "$target" ]; then
    echo "$0: $target exists already; name a new directory" >&2
    exit 73
fi
repository=$(cd "$(dirname "$0")/.." && pwd -P)
mvnw=$repository/mvnw

version=$("$mvnw" -B -q -f "$repository/pom.xml" org.apache.maven.plugins:maven-help-plugin:3.5.2:evaluate \
    -Dexpression=project.version -DforceStdout)
local_repository=$("$mvnw" -B -q -f "$repository/pom.xml" org.apache.maven.plugins:maven-help-plugin:3.5.2:evaluate \
    -Dexpression=settings.localRepository -DforceStdout)
if [ ! -f "$local_repository/dev/anycastd/anycastd-testkit/$version/anycastd-testkit-$version.jar" ]; then
    echo "Installing anycastd $version into $local_repository (once; the plugin builds against it) ..."
    "$mvnw" -B -q -f "$repository/pom.xml" install -DskipTests
fi

cp -R "$repository/examples/plugin-template" "$target"
rm -rf "$target/target"
echo "Building the new plugin in $target ..."
"$mvnw" -B -q -f "$target/pom.xml" verify
echo "Done: $target builds and its contract tests pass. Rename com.example.anycastd.http and the artifactId, then"
echo "replace HttpCheck with your check (docs/PLUGINS.md). The jar for the plugins directory is in $target/target/."
