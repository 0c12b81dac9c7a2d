package io.github.s3lite.sample;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /api/notes}: create, list, get and delete notes.
 */
@RestController
@RequestMapping("/api/notes")
public class NoteController {

	private final NoteRepository notes;

	public NoteController(NoteRepository notes) {
		this.notes = notes;
	}

	@PostMapping
	public ResponseEntity<Note> create(@RequestBody(required = false) NewNote request) {
		if (request == null || request.text() == null) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "a JSON body with a 'text' string is required");
		}
		Note note = this.notes.create(request.text());
		return ResponseEntity.created(URI.create("/api/notes/" + note.id())).body(note);
	}

	@GetMapping
	public List<Note> list() {
		return this.notes.findAll();
	}

	@GetMapping("/{id}")
	public Note get(@PathVariable long id) {
		return this.notes.findById(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "note " + id + " not found"));
	}

	@DeleteMapping("/{id}")
	public ResponseEntity<Void> delete(@PathVariable long id) {
		if (!this.notes.delete(id)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "note " + id + " not found");
		}
		return ResponseEntity.noContent().build();
	}

	/**
	 * The body of {@code POST /api/notes}.
	 *
	 * @param text the note's text
	 */
	public record NewNote(String text) {
	}

}
