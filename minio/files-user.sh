#!/bin/sh
# The files service's own MinIO user, limited to its bucket (files-policy.json):
# the replicas never hold the root credentials, and the download URLs they
# sign are signed with this user's. Run with the root credentials, once MinIO
# answers; safe to run again (everything it creates, it creates if missing).
#
#   MINIO_URL, MINIO_ROOT_USER, MINIO_ROOT_PASSWORD: where MinIO is, and as whom
#   MINIO_FILES_USER, MINIO_FILES_PASSWORD: the user to create
#   MINIO_BUCKET: the bucket (the policy names "filegraph"; another name is substituted)
set -eu
here=$(dirname "$0")
export MC_CONFIG_DIR="${MC_CONFIG_DIR:-$(mktemp -d)}"
mkdir -p "$MC_CONFIG_DIR"
chmod 700 "$MC_CONFIG_DIR"
mc="${MC_BIN:-mc}"
bucket="${MINIO_BUCKET:-filegraph}"
policy="${MC_CONFIG_DIR}/files-policy.json"
sed "s/arn:aws:s3:::filegraph/arn:aws:s3:::${bucket}/g" "$here/files-policy.json" > "$policy"

# Secrets go on stdin: one starting with "-" would be read as a flag.
printf '%s\n%s\n' "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD" | "$mc" alias set filegraph "$MINIO_URL" >/dev/null
"$mc" mb --ignore-existing "filegraph/${bucket}" >/dev/null
"$mc" admin policy create filegraph filegraph-files "$policy" >/dev/null
printf '%s\n' "$MINIO_FILES_PASSWORD" | "$mc" admin user add filegraph "$MINIO_FILES_USER" >/dev/null
"$mc" admin policy attach filegraph filegraph-files --user "$MINIO_FILES_USER" >/dev/null 2>&1 || true
# attach refuses a policy that is attached already; check it is there either way.
"$mc" admin user info filegraph "$MINIO_FILES_USER" | grep -q filegraph-files
echo "MinIO user ${MINIO_FILES_USER}: bucket ${bucket} only"
