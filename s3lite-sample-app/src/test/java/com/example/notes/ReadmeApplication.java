package com.example.notes;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The application of the README's snippets in this package (Users, NotesTests,
 * NoteRepositoryTests, NotesMinioTests): each is kept here as a real, compiled and run class, and
 * {@code ReadmeSnippetsTests} fails the build when the README's copy differs.
 */
@SpringBootApplication
public class ReadmeApplication {

}
