package com.example.notes;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application of the documentation's snippets in this package (Users in README.md, NotesTests,
 * NoteRepositoryTests and NotesMinioTests in docs/testing.md): each is kept here as a real, compiled
 * and run class, and {@code ReadmeSnippetsTests} fails the build when a page's copy differs.
 */
@SpringBootApplication
public class ReadmeApplication {

}
