"""A Python Streamback peer for the Java wire-compatibility tests (PythonPeerTest).

listen: registers one listener per --topic/--behaviour pair, prints READY, then runs
        streamback.start() (which forks a child process and loops until killed).
    reply   respond once: {"echo": value, "topic": ..., "source_group": ..., "key": ...}
    stream  respond --count times: "<value['text']> #<i>"
    error   raise Exception('boom')
    record  append {"value", "topic", "source_group", "key", "feedback_topic"} as a JSON line to --out

send:   sends --value (JSON) to --topic and prints what comes back, one JSON line each:
        {"reply": ...} per reply, {"end": true} after a stream ended normally,
        {"error": "..."} for a FeedbackError, {"timeout": true} for a FeedbackTimeout;
        --one-way only flushes (no feedback read). Exits 0 in all those cases.
"""
import argparse
import json
import sys

from streamback import FeedbackError, Streamback
from streamback.exceptions import FeedbackTimeout


def out(line):
    print(json.dumps(line), flush=True)


def described(message):
    key = message.key.decode("utf-8") if isinstance(message.key, bytes) else message.key
    return {"value": message.value, "topic": message.topic, "source_group": message.source_group,
            "key": key, "feedback_topic": message.feedback_topic}


def listener(behaviour, args):
    def reply(context, message):
        found = described(message)
        message.respond({"echo": found["value"], "topic": found["topic"],
                         "source_group": found["source_group"], "key": found["key"]})

    def stream(context, message):
        for i in range(args.count):
            message.respond("%s #%d" % (message.value["text"], i))

    def error(context, message):
        raise Exception("boom")

    def record(context, message):
        with open(args.out, "a", encoding="utf-8") as file:
            file.write(json.dumps(described(message)) + "\n")

    return {"reply": reply, "stream": stream, "error": error, "record": record}[behaviour]


def listen(args):
    if len(args.topic) != len(args.behaviour):
        sys.exit("give one --behaviour per --topic")
    streamback = Streamback(args.name, streams=args.streams)
    for topic, behaviour in zip(args.topic, args.behaviour):
        if behaviour == "record" and not args.out:
            sys.exit("--behaviour record needs --out FILE")
        streamback.listen(topic)(listener(behaviour, args))
    print("READY", flush=True)
    streamback.start()


def send(args):
    streamback = Streamback(args.name, streams=args.streams)
    if args.keys:
        for key in json.loads(args.keys):
            streamback.send(args.topic[0], {"key": key, "from": "python"}, key=key)
        if not streamback.flush():
            sys.exit("could not flush the messages to Kafka")
        return
    lane = streamback.send(args.topic[0], json.loads(args.value), key=args.key)
    try:
        if args.one_way:
            if not streamback.flush():
                sys.exit("could not flush the message to Kafka")
        elif args.stream:
            for value in lane.stream(args.from_group, timeout=args.timeout):
                out({"reply": value})
            out({"end": True})
        else:
            out({"reply": lane.read(args.from_group, timeout=args.timeout)})
    except FeedbackError as e:
        out({"error": e.message})
    except FeedbackTimeout:
        out({"timeout": True})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["listen", "send"])
    parser.add_argument("--name", required=True, help="application (group) name")
    parser.add_argument("--streams", required=True, help="streams URL")
    parser.add_argument("--topic", action="append", required=True, help="send: the topic; listen: repeatable")
    parser.add_argument("--behaviour", action="append", default=[],
                        choices=["reply", "stream", "error", "record"], help="listen: one per --topic")
    parser.add_argument("--count", type=int, default=3, help="listen: replies of the stream behaviour")
    parser.add_argument("--out", help="listen: file the record behaviour appends to")
    parser.add_argument("--value", default="null", help="send: the message value, as JSON")
    parser.add_argument("--key", help="send: the record key")
    parser.add_argument("--keys", help="send: a JSON list of keys, one one-way message {key, from} each")
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--read", action="store_true", help="send: read one reply (the default)")
    how.add_argument("--stream", action="store_true", help="send: stream every reply until the end")
    how.add_argument("--one-way", action="store_true", help="send: only flush, read no feedback")
    parser.add_argument("--from-group", default=None, help="send: only feedback from this application")
    parser.add_argument("--timeout", type=int, default=None, help="send: feedback timeout, seconds")
    args = parser.parse_args()
    if args.mode == "listen":
        listen(args)
    else:
        send(args)


if __name__ == "__main__":
    main()
