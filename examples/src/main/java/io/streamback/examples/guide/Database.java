package io.streamback.examples.guide;

import java.util.List;

/** A stand-in for an application's database in the guide's snippets (docs/guide.md); it stores nothing. */
public final class Database {
    /** The database the guide's {@code LogsConsumer} commits to. */
    public static final Database database = new Database();

    private Database() {
    }

    /** Writes the rows (here: nothing). */
    public void commit(List<?> rows) {
    }
}
