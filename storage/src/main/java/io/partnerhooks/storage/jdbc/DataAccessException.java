package io.partnerhooks.storage.jdbc;

import java.sql.SQLException;

/** A database failure the caller cannot fix (maps to 503/500, never shown in detail to clients). */
public class DataAccessException extends RuntimeException {
    public DataAccessException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public SQLException sqlException() {
        return (SQLException) getCause();
    }
}
