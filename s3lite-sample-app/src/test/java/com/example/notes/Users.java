package com.example.notes;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

@Service
class Users {
    private final JdbcClient jdbc;
    Users(JdbcClient jdbc) { this.jdbc = jdbc; }
    void add(String email) { jdbc.sql("INSERT INTO users (email) VALUES (?)").param(email).update(); }
}
