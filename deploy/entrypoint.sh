#!/bin/sh
# One image, several roles:  web | worker QUEUE | beat | migrate | <any command>
set -eu

reset_metrics() {
    # prometheus_client multiprocess files of a previous run would be counted again.
    if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
        mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
        find "$PROMETHEUS_MULTIPROC_DIR" -mindepth 1 -maxdepth 1 -name '*.db' -delete
    fi
}

role="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$role" in
    web)
        reset_metrics
        export BALAI_PROCESS=balai-web BALAI_ROLE="${BALAI_ROLE:-web}"
        exec gunicorn --config /app/deploy/gunicorn.conf.py platform_core.wsgi:application
        ;;
    worker)
        # One queue per worker deployment (workers/queues.py): outbox, documents, imports, ...
        queue="${1:?usage: worker QUEUE}"
        reset_metrics
        export BALAI_PROCESS="balai-worker-$queue"
        # Connection lifetime and timeouts per role (docs/operations.md): the maintenance queue
        # walks many villages and gets the short-lived connections of a maintenance job.
        if [ "$queue" = maintenance ]; then
            export BALAI_ROLE="${BALAI_ROLE:-maintenance}"
        else
            export BALAI_ROLE="${BALAI_ROLE:-worker}"
        fi
        exec celery --app workers worker \
            --queues "$queue" \
            --hostname "$queue@%h" \
            --concurrency "${CELERY_CONCURRENCY:-2}" \
            --max-tasks-per-child "${CELERY_MAX_TASKS_PER_CHILD:-500}" \
            --loglevel "${LOG_LEVEL:-INFO}" \
            --without-mingle --without-gossip
        ;;
    beat)
        # Exactly one beat for the whole deployment (compose: one service; k8s: replicas 1, Recreate).
        export BALAI_PROCESS=balai-beat BALAI_ROLE="${BALAI_ROLE:-worker}"
        exec celery --app workers beat --loglevel "${LOG_LEVEL:-INFO}" --schedule /tmp/celerybeat-schedule
        ;;
    migrate)
        # Shared apps, the template schema, then every village schema (resumable).
        export BALAI_PROCESS=balai-migrate BALAI_ROLE="${BALAI_ROLE:-maintenance}"
        exec balai migrate "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
