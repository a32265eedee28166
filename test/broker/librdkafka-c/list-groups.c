/* Lists consumer groups with librdkafka's admin API (rd_kafka_ListConsumerGroups), optionally
 * filtered by states (ListGroups v4+, KIP-518): one line per group, "group_id state is_simple",
 * sorted. Usage: list-groups <bootstrap> [State,State,...]. Any error (a bad argument, an admin
 * error, a broker that failed to answer) goes to stderr with exit code 1; a timeout exits 2. */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, const char *detail) {
  fprintf(stderr, "list-groups: %s: %s\n", what, detail);
  return 1;
}

static int by_text(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
  char errstr[512];
  if (argc < 2 || argc > 3) return fail("usage", "list-groups <bootstrap> [State,State,...]");

  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  if (rd_kafka_conf_set(conf, "bootstrap.servers", argv[1], errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
    return fail("bootstrap.servers", errstr);
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) return fail("rd_kafka_new", errstr);

  rd_kafka_AdminOptions_t *options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS);
  rd_kafka_AdminOptions_set_request_timeout(options, 10000, errstr, sizeof errstr);
  if (argc == 3) {
    rd_kafka_consumer_group_state_t states[RD_KAFKA_CONSUMER_GROUP_STATE__CNT];
    size_t n = 0;
    char *list = strdup(argv[2]);
    for (char *name = strtok(list, ","); name; name = strtok(NULL, ",")) {
      rd_kafka_consumer_group_state_t state = rd_kafka_consumer_group_state_code(name);
      /* librdkafka maps every name it does not know to Unknown: refuse it rather than list nothing. */
      if (state == RD_KAFKA_CONSUMER_GROUP_STATE_UNKNOWN || n == RD_KAFKA_CONSUMER_GROUP_STATE__CNT)
        return fail("not a group state (or too many)", name);
      states[n++] = state;
    }
    rd_kafka_error_t *error = rd_kafka_AdminOptions_set_match_consumer_group_states(options, states, n);
    if (error) return fail("match_consumer_group_states", rd_kafka_error_string(error));
    free(list);
  }

  rd_kafka_queue_t *queue = rd_kafka_queue_new(rk);
  rd_kafka_ListConsumerGroups(rk, options, queue);
  rd_kafka_event_t *event = rd_kafka_queue_poll(queue, 15000);
  if (!event) {
    fprintf(stderr, "list-groups: no ListConsumerGroups result within 15 s\n");
    return 2;
  }
  if (rd_kafka_event_error(event)) return fail("ListConsumerGroups", rd_kafka_event_error_string(event));

  const rd_kafka_ListConsumerGroups_result_t *result = rd_kafka_event_ListConsumerGroups_result(event);
  size_t errors_n = 0;
  const rd_kafka_error_t **errors = rd_kafka_ListConsumerGroups_result_errors(result, &errors_n);
  for (size_t i = 0; i < errors_n; i++) fprintf(stderr, "list-groups: broker error: %s\n", rd_kafka_error_string(errors[i]));
  if (errors_n > 0) return 1;

  size_t groups_n = 0;
  const rd_kafka_ConsumerGroupListing_t **groups = rd_kafka_ListConsumerGroups_result_valid(result, &groups_n);
  char **lines = calloc(groups_n ? groups_n : 1, sizeof *lines);
  for (size_t i = 0; i < groups_n; i++) {
    const char *id = rd_kafka_ConsumerGroupListing_group_id(groups[i]);
    const char *state = rd_kafka_consumer_group_state_name(rd_kafka_ConsumerGroupListing_state(groups[i]));
    int simple = rd_kafka_ConsumerGroupListing_is_simple_consumer_group(groups[i]);
    size_t len = strlen(id) + strlen(state) + 4;
    lines[i] = malloc(len);
    snprintf(lines[i], len, "%s %s %d", id, state, simple);
  }
  qsort(lines, groups_n, sizeof *lines, by_text);
  for (size_t i = 0; i < groups_n; i++) printf("%s\n", lines[i]);

  rd_kafka_event_destroy(event);
  rd_kafka_queue_destroy(queue);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_destroy(rk);
  return 0;
}
