"""The main window: composes the widgets and wires them to the controller. Nothing more."""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from index import (
    MIN_COPY_THRESHOLD,
    ArchivistError,
    Article,
    CheckedExcerpt,
    CorrectionChanges,
    EntityModelStatus,
    Excerpt,
    IndexSummary,
    SearchRequest,
    SearchResult,
    SortOrder,
    to_markdown,
    to_text,
)
from index.userdata.excerpts import take_excerpt

from .about import AboutDialog
from .clipboard import copy_text
from .comparison import CompareBar, Comparing
from .controller import Controller
from .edit_dialog import BulkEditDialog
from .entity_editor import Change, EntityEditor
from .entity_models import EntityModelRunner, describe
from .excerpts_panel import ExcerptsPanel
from .export_dialog import ExportDialog
from .facet_panel import FacetPanel
from .filter_chips import FilterChips
from .formatting import menu_text
from .index_progress import IndexProgress, summary_text
from .reader_area import ReaderArea
from .reader_pane import ReaderPane
from .result_list import ResultList
from .result_model import HitRole, ResultModel
from .search_bar import SearchBar
from .search_session import ENTITY_TYPE_FACET, SearchSession
from .settings import (
    add_recent_archive,
    copies_folded,
    entity_models_enabled,
    recent_archives,
    remove_recent_archive,
    set_copies_folded,
    set_entity_models_enabled,
    settings,
)
from .skipped_dialog import SkippedDialog
from .syntax_help import show_shortcuts
from .timeline_model import TimelineModel
from .timeline_panel import TimelinePanel

RESULTS_MIN_WIDTH = 260
SPELLINGS_SHOWN = 4  # other spellings named in the note (all in its tooltip): it shares a row with the chips
# The entity model pass saves a batch every few seconds: the results are searched again at most this often.
MODEL_REFRESH_SECONDS = 15.0
SORTS: tuple[tuple[str, SortOrder], ...] = (
    ("Relevance", SortOrder.RELEVANCE), ("Newest first", SortOrder.NEWEST), ("Oldest first", SortOrder.OLDEST),
)


class MainWindow(QMainWindow):
    """Search bar and chips on top; facets, results and readers side by side; the timeline below."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Archivist")
        self.setAcceptDrops(True)
        self.controller = controller
        self.session = SearchSession(self)
        self.last_result: SearchResult | None = None

        self.search_bar = SearchBar()
        self.sort_box = QComboBox()
        for label, order in SORTS:
            self.sort_box.addItem(label, order)
        self.total_label = QLabel("")
        self.total_label.setObjectName("totalLabel")
        self.chips = FilterChips()
        self.spellings_label = QLabel("")
        self.spellings_label.setObjectName("spellingsLabel")
        self.spellings_label.setTextFormat(Qt.TextFormat.RichText)
        self.spellings_label.linkActivated.connect(lambda link: self.session.set_spellings(link == "on"))
        self.spellings_label.hide()
        self.facets = FacetPanel()
        self.results = ResultModel(self)
        self.result_list = ResultList(self.results)
        self.readers = ReaderArea()
        self.compare_bar = CompareBar()
        self.comparing = Comparing(self.controller, self.compare_bar,
                                   lambda pane, article_id: self._load(pane, article_id, keep=True), self)
        self.timeline_model = TimelineModel(self)
        self.timeline_panel = TimelinePanel(self.timeline_model)
        self.timeline = self.timeline_panel.timeline
        self.progress = IndexProgress()
        self.entity_editor = EntityEditor(self)
        self.excerpts = ExcerptsPanel()
        self.export_dialog = ExportDialog(self)
        self.skipped_dialog = SkippedDialog(self)
        self.entity_models = EntityModelRunner(self.controller, self)
        self.models_label = QLabel("")
        self.models_label.setObjectName("modelsLabel")
        self._last_model_refresh = 0.0
        self.skipped_button = QToolButton()
        self.skipped_button.setObjectName("skippedButton")
        self.skipped_button.clicked.connect(self.show_skipped)
        self._reveal: dict[int, tuple[int, int]] = {}  # article request id -> passage to show when it arrives
        self._page_request = 0  # the further page of results asked for last
        self._highlighted_query = ("", False)  # the query (and whether typed) whose hits the panes show
        # bulk corrections of the open archive, latest last: (applied, what they replaced, description)
        self._undo: list[tuple[CorrectionChanges, CorrectionChanges, str]] = []
        self._undoing: tuple[CorrectionChanges, CorrectionChanges, str] | None = None
        self.bulk_dialog: BulkEditDialog | None = None
        self._compose()
        self._menus()
        self._shortcuts()
        self._wire()
        self._restore()

    # -- composition -----------------------------------------------------------------------------------
    def _compose(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search_bar, 1)
        top.addWidget(self.sort_box, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.total_label, 0, Qt.AlignmentFlag.AlignTop)
        self.columns = QSplitter(Qt.Orientation.Horizontal)
        self.columns.setObjectName("columns")
        self.columns.addWidget(self.facets)
        self.columns.addWidget(self.result_list)
        reading = QWidget()
        reading_layout = QVBoxLayout(reading)
        reading_layout.setContentsMargins(0, 0, 0, 0)
        reading_layout.setSpacing(2)
        reading_layout.addWidget(self.compare_bar)
        reading_layout.addWidget(self.readers, 1)
        self.columns.addWidget(reading)
        # Panes opened side by side take room from each other, never the results list's last 260 px.
        self.columns.setChildrenCollapsible(False)
        self.result_list.setMinimumWidth(RESULTS_MIN_WIDTH)
        self.columns.setStretchFactor(0, 0)
        self.columns.setStretchFactor(1, 2)
        self.columns.setStretchFactor(2, 3)
        self.columns.setSizes([230, 400, 550])
        self.rows = QSplitter(Qt.Orientation.Vertical)
        self.rows.setObjectName("rows")
        self.rows.addWidget(self.columns)
        self.rows.addWidget(self.timeline_panel)
        self.rows.setStretchFactor(0, 1)
        self.rows.setSizes([560, 170])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(top)
        # Chips and the spellings note share one row of a fixed height: nothing below moves when
        # a filter or the note comes or goes.
        notes = QHBoxLayout()
        notes.addWidget(self.chips, 1)
        notes.addWidget(self.spellings_label, 0)
        layout.addLayout(notes)
        layout.addWidget(self.rows, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(self.models_label)
        self.models_label.hide()
        self.statusBar().addPermanentWidget(self.skipped_button)
        self.skipped_button.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.excerpts_dock = QDockWidget("Excerpts", self)
        self.excerpts_dock.setObjectName("excerptsDock")
        self.excerpts_dock.setWidget(self.excerpts)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.excerpts_dock)
        self.excerpts_dock.hide()  # until the first excerpt, or View > Excerpts
        self.resize(1280, 800)

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.open_action = QAction("&Open folder…", self, shortcut=QKeySequence(QKeySequence.StandardKey.Open))
        self.open_action.triggered.connect(self.choose_archive)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu("Open &recent", self)
        file_menu.addMenu(self.recent_menu)
        self.reindex_action = QAction("&Re-index", self, shortcut=QKeySequence("F5"))
        self.reindex_action.triggered.connect(self.controller.reindex)
        file_menu.addAction(self.reindex_action)
        file_menu.addAction("&Export excerpts…", self.open_export_dialog)
        self.skipped_action = QAction("&Skipped files of the last run…", self)
        self.skipped_action.triggered.connect(self.show_skipped)
        self.skipped_action.setEnabled(False)
        file_menu.addAction(self.skipped_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction("Open selected in new pane\tCtrl+Enter", self.open_current_beside)
        close_pane = QAction("Close reading pane", self, shortcut=QKeySequence("Ctrl+W"))
        close_pane.triggered.connect(lambda: self.readers.close_pane(self.readers.active))
        view_menu.addAction(close_pane)
        for text, keys, slot in (
            ("Next reading pane", "F6", lambda: self.readers.activate_next(1)),
            ("Previous reading pane", "Shift+F6", lambda: self.readers.activate_next(-1)),
            ("Move reading pane left", "Alt+Shift+Left", lambda: self.readers.move_active(-1)),
            ("Move reading pane right", "Alt+Shift+Right", lambda: self.readers.move_active(1)),
        ):
            action = QAction(text, self, shortcut=QKeySequence(keys))
            action.triggered.connect(slot)
            view_menu.addAction(action)
        view_menu.addSeparator()
        compare = QAction("&Compare the selected results", self, shortcut=QKeySequence("Ctrl+D"))
        compare.setToolTip("Open two results side by side and show what they share and where they differ "
                           "(one result: compare it with the article the reading pane keeps)")
        compare.triggered.connect(self.compare_selected)
        view_menu.addAction(compare)
        for text, keys, step in (("Next linked passage", "F4", 1), ("Previous linked passage", "Shift+F4", -1)):
            action = QAction(text, self, shortcut=QKeySequence(keys))
            action.triggered.connect(partial(self.comparing.step, step))
            view_menu.addAction(action)
        fold, threshold = copies_folded()
        self.fold_copies_action = QAction("&Fold near copies into one result", self)
        self.fold_copies_action.setCheckable(True)
        self.fold_copies_action.setChecked(fold)
        self.fold_copies_action.setToolTip("Show one result per group of near copies (syndicated or lightly "
                                           "edited), with how many copies it has; off shows every copy")
        self.fold_copies_action.toggled.connect(self.set_fold_copies)
        view_menu.addAction(self.fold_copies_action)
        view_menu.addAction("Near-copy &threshold…", self.choose_copy_threshold)
        self.session.fold_copies, self.session.copy_threshold = fold, threshold
        view_menu.addSeparator()
        view_menu.addAction("Zoom timeline to selection", self.timeline.zoom_to_selection)
        view_menu.addAction("Reset timeline", self.timeline.reset_zoom)
        view_menu.addSeparator()
        toggle = self.excerpts_dock.toggleViewAction()
        toggle.setShortcut(QKeySequence("Ctrl+Shift+E"))
        view_menu.addAction(toggle)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction("Add selection to excerpts\tCtrl+E", lambda: self._selecting_pane().request_excerpt())
        edit_menu.addAction("Copy selection with citation\tCtrl+Shift+C",
                            lambda: self._selecting_pane().request_copy_with_citation())
        edit_menu.addSeparator()
        edit_menu.addAction("&Correct the selected results…", self.correct_selected)
        self.undo_correction_action = QAction("Undo correction", self)
        self.undo_correction_action.triggered.connect(self.undo_correction)
        self.undo_correction_action.setEnabled(False)
        edit_menu.addAction(self.undo_correction_action)
        edit_menu.addSeparator()
        self.models_action = QAction("Find names with language &models after indexing", self)
        self.models_action.setCheckable(True)
        self.models_action.setChecked(entity_models_enabled())
        self.models_action.setToolTip("French and Russian articles are read again by a language model, in the "
                                      "background, to find the names no list holds")
        self.models_action.toggled.connect(self.set_entity_models)
        edit_menu.addAction(self.models_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction("Query &syntax", self.search_bar.show_help)
        help_menu.addAction("&Keyboard shortcuts", lambda: show_shortcuts(self))
        help_menu.addSeparator()
        help_menu.addAction("&About Archivist", self.show_about)
        self._fill_recent(recent_archives())

    def _shortcuts(self) -> None:
        for keys, slot in (
            ("/", self.search_bar.focus), ("Ctrl+F", self.search_bar.focus), ("Ctrl+L", self.clear_search),
            ("F3", lambda: self.readers.active.step_hit(1)), ("Shift+F3", lambda: self.readers.active.step_hit(-1)),
            ("Ctrl+E", lambda: self._selecting_pane().request_excerpt()),
            ("Ctrl+Shift+C", lambda: self._selecting_pane().request_copy_with_citation()),
        ):
            QShortcut(QKeySequence(keys), self, slot)

    def _wire(self) -> None:
        c = self.controller
        self.search_bar.query_changed.connect(self.session.set_query)
        self.sort_box.currentIndexChanged.connect(lambda i: self.session.set_sort(self.sort_box.itemData(i)))
        self.session.request_changed.connect(self.on_request_changed)
        self.session.chips_changed.connect(self.chips.set_chips)
        self.chips.remove_requested.connect(self.session.remove_chip)
        self.facets.include_requested.connect(self.session.include)
        self.facets.exclude_requested.connect(self.session.exclude)
        self.facets.entity_action_requested.connect(self.edit_entity)
        self.readers.entity_include_requested.connect(self.session.include)
        self.readers.entity_exclude_requested.connect(self.session.exclude)
        self.readers.entity_action_requested.connect(self.edit_entity)
        self.entity_editor.change_requested.connect(self.on_entity_change_requested)
        self.timeline.range_selected.connect(self.session.set_dates)
        self.timeline.undated_selected.connect(lambda: self.session.set_undated(True))
        self.result_list.open_requested.connect(self.open_article)
        self.result_list.open_beside_requested.connect(self.open_article_beside)
        self.result_list.preview_requested.connect(self.preview_article)
        self.result_list.correct_selected_requested.connect(self.correct_selected)
        self.result_list.current_changed.connect(self.on_current_result_changed)
        self.readers.correction_requested.connect(c.correct)
        self.progress.cancel_requested.connect(c.cancel_indexing)
        self.readers.excerpt_requested.connect(self.add_excerpt)
        self.readers.copy_with_citation_requested.connect(self.copy_with_citation)
        self.readers.related_open_requested.connect(lambda pane, article_id: self._load(pane, article_id, True))
        self.readers.compare_requested.connect(
            lambda pane, other: self.comparing.compare(pane, pane.article_id, self.readers.pane_beside(pane), other)
        )
        self.readers.pane_closing.connect(self.comparing.on_pane_closed)
        self.readers.article_dropped.connect(self.on_article_dropped)
        c.copies_of_ready.connect(partial(self._to_panes_showing, ReaderPane.set_copies))
        c.similar_ready.connect(partial(self._to_panes_showing, ReaderPane.set_similar))
        self.readers.similar_wanted.connect(lambda pane: c.ask_similar(pane.article_id, self.session.copy_threshold))
        self.result_list.copies_wanted.connect(self.list_copies)
        c.copies_ready.connect(self.results.expand)
        self.excerpts.basket_selected.connect(c.load_basket)
        self.excerpts.change_requested.connect(c.change_basket)
        self.excerpts.open_requested.connect(self.open_excerpt)
        self.excerpts.export_requested.connect(self.open_export_dialog)
        self.excerpts.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.export_dialog.basket_wanted.connect(c.load_basket)
        self.export_dialog.export_requested.connect(c.export_excerpts)
        c.basket_changed.connect(self.on_basket_changed)
        c.basket_names.connect(self.excerpts.set_basket_names)
        c.basket_failed.connect(lambda message: self.statusBar().showMessage(message, 10000))
        c.export_finished.connect(lambda message: self.statusBar().showMessage(message, 8000))
        c.archive_opened.connect(self.on_archive_opened)
        c.results_ready.connect(self.on_results_ready)
        c.page_ready.connect(self.on_page_ready)
        self.results.more_wanted.connect(self.fetch_more_results)
        c.search_failed.connect(self.on_search_failed)
        c.article_ready.connect(self.on_article_ready)
        c.article_failed.connect(self.on_article_failed)
        c.article_corrected.connect(self.on_article_corrected)
        c.articles_corrected.connect(self.on_articles_corrected)
        c.correction_failed.connect(self._on_correction_failed)
        c.entities_corrected.connect(self.on_entities_corrected)
        c.indexing_started.connect(self.progress.on_indexing_started)
        c.progress_changed.connect(self.progress.on_progress_changed)
        c.indexing_waiting.connect(self.progress.on_indexing_waiting)
        c.correction_waiting.connect(lambda holder: self.statusBar().showMessage(f"Waiting: {holder}…"))
        c.indexing_finished.connect(self.on_indexing_finished)
        self.entity_models.progress.connect(self.on_entity_models_progress)
        self.entity_models.batch_saved.connect(self.on_entity_models_saved)
        self.entity_models.finished.connect(self.on_entity_models_finished)
        c.indexing_failed.connect(self.on_indexing_failed)

    # -- actions ---------------------------------------------------------------------------------------
    def open_archive(self, path: Path) -> None:
        """Open the archive folder ``path`` and bring its index up to date; a folder that is not there
        (moved, deleted, a drive not mounted) is said so, and leaves Open recent."""
        if not path.is_dir():
            self.statusBar().showMessage(f"{path} is not a folder here (moved, deleted, or on a drive not mounted)")
            self._fill_recent(remove_recent_archive(path))
            return
        self.controller.open_archive(path)

    def choose_archive(self) -> None:
        """Ask for a folder and open it."""
        folder = QFileDialog.getExistingDirectory(self, "Open an archive folder")
        if folder:
            self.open_archive(Path(folder))

    def clear_search(self) -> None:
        """Forget query and filters (Ctrl+L)."""
        self.search_bar.field.clear()
        self.search_bar.clear_error()
        self.session.clear()
        self.search_bar.focus()

    def open_article(self, article_id: str) -> None:
        """Read ``article_id`` in the active pane, to keep (Enter, a double-click)."""
        if not self.session.typing:  # a half-typed last word would search as typed when recalled
            self.search_bar.remember()
        self._load(self.readers.active, article_id, keep=True)

    def preview_article(self, article_id: str) -> None:
        """Show ``article_id`` in the active pane until another is previewed or opened (a click, an
        arrow key); the article the pane keeps comes back when this one is opened beside it."""
        pane = self.readers.active
        if pane.wanted_id != article_id:
            self._load(pane, article_id, keep=False)

    def open_article_beside(self, article_id: str) -> None:
        """Read ``article_id`` in a new pane beside the others; the active pane goes back to the article
        it keeps if it was only previewing this one (the usual way there: arrow down, Ctrl+Enter)."""
        pane = self.readers.active
        if pane.kept_id is None:  # an empty pane, or one only previewing: nothing to keep beside
            self.open_article(article_id)
            return
        if pane.wanted_id != pane.kept_id:
            self._load(pane, pane.kept_id, keep=True)
        self.readers.add_pane()
        self.open_article(article_id)

    def _load(self, pane: ReaderPane, article_id: str, keep: bool) -> int:
        """Ask for ``article_id`` to be shown in ``pane`` with the query's hits; ``keep`` it there, or
        only preview it."""
        pane.wanted_id = article_id
        if keep:
            pane.kept_id = article_id
        pane.request_id = self.controller.open_article(article_id, self.session.query, self.session.typing)
        return pane.request_id

    def _reload(self, pane: ReaderPane) -> None:
        """Ask again for the article the pane shows, or is waiting for (a preview not yet arrived),
        with the current query's hits."""
        article_id = pane.wanted_id or pane.article_id
        if article_id:
            pane.request_id = self.controller.open_article(article_id, self.session.query, self.session.typing)

    def open_current_beside(self) -> None:
        """Open the selected result in a new pane."""
        current = self.result_list.current_id()
        if current:
            self.open_article_beside(current)

    def compare_selected(self) -> None:
        """Compare the first two selected results side by side (Ctrl+D); with one selected, compare it
        with the article the active pane keeps."""
        ids = self.result_list.selected_ids()
        left = self.readers.active
        if len(ids) == 1 and left.kept_id and left.kept_id != ids[0]:
            ids = [left.kept_id, ids[0]]
        if len(ids) < 2:
            self.statusBar().showMessage("Select two results to compare (Ctrl+click), or one to compare with the "
                                         "article the reading pane keeps", 6000)
            return
        self.comparing.compare(left, ids[0], self.readers.pane_beside(left), ids[1])
        if len(ids) > 2:
            self.statusBar().showMessage("Articles are compared two at a time: the first two selected are. Drag "
                                         "another result onto a pane to compare it with the one beside.", 8000)

    def on_article_dropped(self, pane: ReaderPane, article_id: str) -> None:
        """A result dragged onto a pane opens there and is compared with the article of the pane
        nearest to it (if another pane shows one)."""
        other = self.readers.neighbour(pane)
        if other is None or other.article_id == article_id:
            self._load(pane, article_id, keep=True)
            return
        left, right = sorted((other, pane), key=self.readers.panes.index)
        a, b = (other.article_id, article_id) if left is other else (article_id, other.article_id)
        self.comparing.compare(left, str(a), right, str(b))

    def _to_panes_showing(self, give: Callable[[ReaderPane, Any], None], article_id: str, value: object) -> None:
        """Give what was found about an article (its copies, the articles like it) to the panes showing it."""
        for pane in self.readers.panes_showing(article_id):
            give(pane, value)

    def list_copies(self, article_id: str) -> None:
        """List a result's near copies under it (Right, or its context menu)."""
        row = self.results.row_of(article_id)
        if row >= 0:
            self.controller.ask_copies(article_id, self.results.hits[row].copies)

    def set_fold_copies(self, fold: bool) -> None:
        """Show one result per group of near copies, or every copy."""
        self._set_copies(fold, self.session.copy_threshold)

    def _set_copies(self, fold: bool, threshold: float) -> None:
        set_copies_folded(fold, threshold)
        self.session.set_copies(fold, threshold)
        for pane in self.readers.panes:  # the copies the panes name follow the threshold
            if pane.article_id:
                self.controller.ask_copies_of(pane.article_id, threshold)

    def choose_copy_threshold(self) -> None:
        """Ask how alike two articles must be to count as copies."""
        percent, accepted = QInputDialog.getInt(
            self, "Near-copy threshold", "Share of their wording two articles must have in common to be "
            "copies (%):", round(self.session.copy_threshold * 100), round(MIN_COPY_THRESHOLD * 100), 100)
        if accepted:
            self._set_copies(self.session.fold_copies, percent / 100)

    def correct_selected(self) -> None:
        """Ask for a date, source or language to give every selected result at once."""
        ids = self.result_list.selected_ids()
        if not ids:
            self.statusBar().showMessage("Select the results to correct first (Ctrl+click, Shift+click)", 6000)
            return
        self.bulk_dialog = dialog = BulkEditDialog(len(ids), self)
        dialog.accepted.connect(lambda: self._correct_many(ids, *dialog.change()))
        dialog.open()

    def _correct_many(self, ids: list[str], field: str, value: str | None) -> None:
        count = f"{len(ids)} article{'s' if len(ids) != 1 else ''}"
        description = (f"{field} of {count} set to {value}" if value
                       else f"corrections of the {field} of {count} withdrawn")
        self.statusBar().showMessage(f"Correcting: {description}…")
        self.controller.correct_many({article_id: {field: value} for article_id in ids}, description)

    def undo_correction(self) -> None:
        """Put back what the latest bulk correction changed, where nothing corrected it since."""
        if self._undo and self._undoing is None:
            self._undoing = applied, previous, description = self._undo[-1]
            self.controller.correct_many(previous, f"undone: {description}", undoable=False, expected=applied)
            self._show_undo()

    def _show_undo(self) -> None:
        latest = self._undo[-1][2] if self._undo else ""
        self.undo_correction_action.setText(f"Undo: {latest}" if latest else "Undo correction")
        self.undo_correction_action.setEnabled(bool(latest) and self._undoing is None)

    def _on_correction_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)
        self._undoing = None  # an undo that failed stays on the list, to try again
        self._show_undo()

    def edit_entity(self, action: str, type_: str, canonical: str) -> None:
        """Ask how to correct one entity (rename, merge, retype, delete); the answer goes to the controller."""
        facet = self.last_result.facets.get(ENTITY_TYPE_FACET.get(type_, "")) if self.last_result else None
        names = [value.value for value in facet.values] if facet else []
        self.entity_editor.start(action, type_, canonical, names)

    def _selecting_pane(self) -> ReaderPane:
        """The pane whose selection the user means: the one with the keyboard focus, else the active one,
        else any with a selection (several panes side by side)."""
        panes = self.readers.panes
        focused = next((pane for pane in panes if pane.text.hasFocus()), None)
        for pane in (focused, self.readers.active, *panes):
            if pane is not None and pane.selected_passage() is not None:
                return pane
        return self.readers.active

    def add_excerpt(self, pane: ReaderPane, start: int, end: int) -> None:
        """Add a passage of the pane's article to the basket shown in the excerpts panel."""
        excerpt = self._excerpt_of(pane, start, end)
        if excerpt is None:
            return
        name = self.excerpts.basket_name
        if not self.excerpts_dock.isVisible():
            self.excerpts_dock.show()
            self.resizeDocks([self.excerpts_dock], [max(460, self.width() // 3)], Qt.Orientation.Horizontal)
        shortened = " ".join(excerpt.text.split())
        shortened = shortened if len(shortened) <= 50 else shortened[:49] + "…"
        self.controller.change_basket(name, lambda basket: basket.add(excerpt), f"Added to “{name}”: “{shortened}”")

    def copy_with_citation(self, pane: ReaderPane, start: int, end: int) -> None:
        """Copy a passage with its citation: plain text, and Markdown for programs that take it."""
        excerpt = self._excerpt_of(pane, start, end)
        if excerpt is None:
            return
        copy_text(to_text([CheckedExcerpt(excerpt)]), to_markdown([CheckedExcerpt(excerpt)]))
        self.statusBar().showMessage("Copied with its citation", 4000)

    def _excerpt_of(self, pane: ReaderPane, start: int, end: int) -> Excerpt | None:
        archive = self.controller.archive
        if pane.article is None or archive is None:
            return None
        try:
            return take_excerpt(pane.article, start, end, archive.root, self.session.query)
        except ArchivistError as error:
            self.statusBar().showMessage(str(error), 8000)
            return None

    def open_excerpt(self, item: CheckedExcerpt) -> None:
        """Read an excerpt's article in the active pane, scrolled to the passage and marked."""
        excerpt = item.excerpt
        if item.flag and item.found_at is None:  # gone, changed past finding, or its archive unreadable
            self.statusBar().showMessage(f"This excerpt is flagged: {item.flag}", 8000)
            return
        archive = self.controller.archive
        if archive is None or str(archive.root) != excerpt.archive:
            self.statusBar().showMessage(f"Opening the archive of this excerpt: {excerpt.archive}", 5000)
            self.controller.open_archive(Path(excerpt.archive), reindex=False)
        request_id = self._load(self.readers.active, excerpt.article_id, keep=True)
        if item.found_at is not None:
            self._reveal[request_id] = item.found_at

    def open_export_dialog(self) -> None:
        """Choose basket, format and file, with a preview."""
        names = [self.excerpts.basket_box.itemText(i) for i in range(self.excerpts.basket_box.count())]
        self.export_dialog.start(names, self.excerpts.basket_name, self.excerpts.model.items)

    # -- slots -----------------------------------------------------------------------------------------
    @Slot(str, object, str)
    def on_basket_changed(self, name: str, items: list[CheckedExcerpt], description: str) -> None:
        """Show the basket as saved, mark its passages in the open articles, confirm the change."""
        self.excerpts.set_excerpts(name, items)
        self.export_dialog.set_excerpts(name, items)
        if description:
            self.statusBar().showMessage(description, 5000)
        if name == self.excerpts.basket_name:
            self._mark_excerpts()

    def _mark_excerpts(self) -> None:
        archive = self.controller.archive
        for pane in self.readers.panes:
            if pane.article is not None and archive is not None:
                pane.set_excerpt_spans(self.excerpts.passages_of(str(archive.root), pane.article.id))

    # -- slots -----------------------------------------------------------------------------------------
    @Slot(object)
    def on_request_changed(self, request: SearchRequest) -> None:
        """Ask the controller; the reply comes back as results_ready."""
        self.controller.search(request)

    @Slot(object)
    def on_archive_opened(self, path: Path) -> None:
        """Show which archive is open and remember it."""
        self.setWindowTitle(f"Archivist — {path.name}")
        for pane in self.readers.panes:  # their articles belong to the archive that was open
            pane.clear()
        self.skipped_button.hide()  # so does the last run's list of skipped files
        self.skipped_action.setEnabled(False)
        self.entity_models.stop()  # the pass of the archive that was open; this one's starts after indexing
        self.models_label.hide()
        self._reveal.clear()
        self.comparing.end()
        self._undo.clear()  # corrections of the archive that was open: not this one's to undo
        self._undoing = None
        self._show_undo()
        self._fill_recent(add_recent_archive(path))
        self.session.refresh()
        self.controller.load_basket(self.excerpts.basket_name)  # flags follow the archive now open

    @Slot(int, object)
    def on_results_ready(self, _request_id: int, result: SearchResult) -> None:
        """Show results, facet counts and the timeline of the latest search."""
        current = self.result_list.current_id()
        selected = self.result_list.selected_ids()
        self.last_result = result
        self.search_bar.clear_error()
        self.results.set_result(result)
        self.facets.set_result(result, self.session.filters)
        self.facets.set_copies_counted(result.copies_folded)
        self.timeline_model.set_timeline(result.timeline)
        self.timeline_panel.set_copies_counted(result.copies_folded)
        filters = self.session.filters
        self.timeline.show_period(filters.date_from, filters.date_to, filters.undated)
        self._page_request = 0
        highlighted = (self.session.query, self.session.typing)
        if highlighted != self._highlighted_query:  # the open articles show the new query's hits
            self._highlighted_query = highlighted
            for pane in self.readers.panes:
                self._reload(pane)
        self._show_total()
        self._show_spellings(result)
        row = self.results.row_of(current) if current else -1
        if row >= 0:
            self.result_list.setCurrentIndex(self.results.index(row, 0))
        if len(selected) > 1:  # a selection being corrected survives the search it causes
            self.result_list.select_ids(selected)

    def _show_spellings(self, result: SearchResult) -> None:
        """Say which other spellings of a name the search matched, with a link to match only as typed
        (and back)."""
        if result.also_matched:
            shown, rest = result.also_matched[:SPELLINGS_SHOWN], len(result.also_matched) - SPELLINGS_SHOWN
            names = html.escape(", ".join(shown)) + (f" and {rest} more" if rest > 0 else "")
            self.spellings_label.setText(f"Also matched: {names} — <a href='off'>match only as typed</a>")
            self.spellings_label.setToolTip(html.escape(", ".join(result.also_matched)))
        elif not self.session.spellings and _also_matched(result.query):
            self.spellings_label.setText("Matched only as typed — <a href='on'>also match other spellings</a>")
        else:
            self.spellings_label.hide()
            return
        self.spellings_label.show()

    def _show_total(self) -> None:
        total, shown = self.results.total, self.results.results_shown
        more = f" (showing {shown}; scroll for more)" if shown < total else ""
        folded = self.last_result.copies_folded if self.last_result else 0
        copies = f", {folded} more as copies" if folded else ""
        self.total_label.setText(f"{total} result{'s' if total != 1 else ''}{copies}{more}")
        self.total_label.setToolTip(
            f"{folded} matching articles are near copies of a result and are listed under it; the facet "
            "counts and the timeline count every copy" if folded else "")

    def fetch_more_results(self) -> None:
        """Ask for the next page of the current search (the result list scrolled to its end)."""
        size = self.session.page_size
        request = replace(self.session.request(), page=self.results.results_shown // size + 1)
        self._page_request = self.controller.fetch_page(request)

    @Slot(int, object)
    def on_page_ready(self, request_id: int, result: SearchResult) -> None:
        """Add a further page of hits, if it is the one asked for last."""
        if request_id == self._page_request:
            self.results.append(result.hits)
            self._show_total()

    @Slot(int, str)
    def on_article_failed(self, request_id: int, message: str) -> None:
        """Say why an article could not be read; a pane whose article is gone shows nothing rather
        than an article the archive no longer has."""
        self.statusBar().showMessage(message, 8000)
        pane = self.readers.pane_for_request(request_id)
        if pane is not None and pane.article is not None and pane.article.id in message:
            pane.clear()
        elif pane is not None:  # a preview that could not be read: the pane still shows its article
            pane.wanted_id = pane.article_id

    @Slot(int, str, int)
    def on_search_failed(self, _request_id: int, message: str, position: int) -> None:
        """Show the engine's message under the search field."""
        self.search_bar.show_error(message, position)

    @Slot(int, object, object)
    def on_article_ready(self, request_id: int, article: Article, spans: dict[str, tuple[object, ...]]) -> None:
        """Show the article in the pane that asked for it; mark its date on the timeline."""
        self.readers.show_article(request_id, article, spans)
        self.timeline.set_marked_date(article.date)
        pane = self.readers.pane_for_request(request_id)
        if pane is not None:
            self.comparing.on_article_shown(pane)
            self.controller.ask_copies_of(article.id, self.session.copy_threshold)
        self._mark_excerpts()
        passage = self._reveal.pop(request_id, None)
        pane = self.readers.pane_for_request(request_id)
        if passage is not None and pane is not None:
            pane.show_passage(*passage)

    @Slot(str)
    def on_current_result_changed(self, article_id: str) -> None:
        """Mark the selected result's date on the timeline."""
        row = self.results.row_of(article_id)
        if row >= 0:
            self.timeline.set_marked_date(self.results.index(row, 0).data(HitRole).date)

    @Slot(object)
    def on_article_corrected(self, article: Article) -> None:
        """Refresh results and facets, and the panes showing the corrected article."""
        self.statusBar().showMessage(f"Corrected “{article.title}”", 5000)
        self.session.refresh()
        self._read_with_models()  # an article made French or Russian waits for its language's model
        for pane in self.readers.panes_showing(article.id):
            self._reload(pane)

    @Slot(object, object, str, bool)
    def on_articles_corrected(
        self, applied: CorrectionChanges, previous: CorrectionChanges, description: str, undoable: bool
    ) -> None:
        """Search again, reload the panes showing a corrected article, and offer to undo."""
        hint = ""
        if undoable:
            self._undo.append((applied, previous, description))
            hint = " — Edit ▸ Undo puts it back"
        elif self._undoing is not None:
            wanted = sum(len(fields) for fields in self._undoing[1].values())
            done = sum(len(fields) for fields in previous.values())
            if done < wanted:
                hint = f" ({wanted - done} corrected since, or gone, and left as they are)"
            if self._undoing in self._undo:
                self._undo.remove(self._undoing)
            self._undoing = None
        self._show_undo()
        self.statusBar().showMessage(f"{description[0].upper()}{description[1:]}{hint}", 10000)
        self.session.refresh()
        for article_id in previous:
            for pane in self.readers.panes_showing(article_id):
                self._reload(pane)
        self._read_with_models()

    @Slot(object, str, str, str)
    def on_entity_change_requested(self, change: Change, description: str, type_: str, canonical: str) -> None:
        """Send an entity correction to the controller; filters on the old name go (it may not exist any more)."""
        self.statusBar().showMessage(f"{description}: re-indexing the articles that name it…")
        self.session.forget_entity(ENTITY_TYPE_FACET[type_], canonical)
        self.controller.correct_entities(change, description)

    @Slot(int, str)
    def on_entities_corrected(self, count: int, description: str) -> None:
        """Search again and reload the open articles: their names may have changed."""
        self.statusBar().showMessage(f"{description} ({count} article{'s' if count != 1 else ''} re-indexed)", 8000)
        self.session.refresh()
        for pane in self.readers.panes:
            self._reload(pane)

    @Slot(object)
    def on_indexing_finished(self, summary: IndexSummary) -> None:
        """Say what indexing did and search again."""
        self.progress.on_indexing_finished()
        self.statusBar().showMessage(summary_text(summary), 10000)
        self.session.refresh()
        self.controller.load_basket(self.excerpts.basket_name)  # articles may have changed or gone
        archive = self.controller.archive
        failed = len(summary.skipped) + len(summary.problems)
        if archive is not None:
            self.skipped_dialog.set_summary(archive.root, summary)
        self.skipped_action.setEnabled(bool(failed))
        self.skipped_button.setText(f"{failed} file{'s' if failed != 1 else ''} not fully indexed — show")
        self.skipped_button.setVisible(bool(failed))
        if not summary.cancelled:
            self._read_with_models()

    def _read_with_models(self) -> None:
        """Start the entity model pass, if it is on and articles of the open archive wait for it."""
        archive = self.controller.archive
        if archive is not None and self.models_action.isChecked() and not self.controller.is_indexing:
            self.entity_models.start(archive)

    def set_entity_models(self, enabled: bool) -> None:
        """Turn the entity model pass on (it starts now if articles wait for it) or off (it stops)."""
        set_entity_models_enabled(enabled)
        if enabled:
            self._read_with_models()
        else:
            self.entity_models.stop()
            self.models_label.hide()

    @Slot(object)
    def on_entity_models_progress(self, status: EntityModelStatus) -> None:
        """Show how far the language models have read, while they have articles left."""
        self.models_label.setText(describe(status))
        self.models_label.setToolTip("\n".join(f"{p.language}: {p.done:,} of {p.total:,} articles read by {p.model}"
                                               for p in status.languages))
        waiting = status.done < status.total and (self.entity_models.running or bool(status.running))
        self.models_label.setVisible(waiting and self.models_action.isChecked())

    @Slot()
    def on_entity_models_saved(self) -> None:
        """Search again for the names just found; at most every MODEL_REFRESH_SECONDS, so results do not
        move under the user's eyes."""
        if time.monotonic() - self._last_model_refresh >= MODEL_REFRESH_SECONDS:
            self._last_model_refresh = time.monotonic()
            self.session.refresh()

    @Slot(str)
    def on_entity_models_finished(self, message: str) -> None:
        """Search again with every name found, and say if the pass stopped early."""
        self.session.refresh()
        if message:
            self.statusBar().showMessage(f"Finding names with language models stopped: {message}", 10000)

    def show_about(self) -> AboutDialog:
        """Version, where things are, and the licences of what Archivist bundles."""
        archive = self.controller.archive
        dialog = AboutDialog(archive.index_dir if archive is not None else None, self)
        dialog.show()
        return dialog

    def show_skipped(self) -> None:
        """List the files the last indexing run skipped or only partly analysed, with the reasons."""
        self.skipped_dialog.show()
        self.skipped_dialog.raise_()

    @Slot(str)
    def on_indexing_failed(self, message: str) -> None:
        """Say why indexing failed."""
        self.progress.on_indexing_finished()
        self.statusBar().showMessage(f"Indexing failed: {message}")

    # -- recent archives, drag and drop, persistence ------------------------------------------------------
    def _fill_recent(self, paths: list[Path]) -> None:
        self.recent_menu.clear()
        for path in paths:
            self.recent_menu.addAction(menu_text(str(path)), partial(self.open_archive, path))
        self.recent_menu.setEnabled(bool(paths))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        """Accept a dragged folder."""
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and Path(urls[0].toLocalFile()).is_dir():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        """Open a dropped folder as the archive."""
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and Path(urls[0].toLocalFile()).is_dir():
            self.open_archive(Path(urls[0].toLocalFile()))
            event.acceptProposedAction()

    def _restore(self) -> None:
        store = settings()
        for key, restore in (("geometry", self.restoreGeometry), ("columns", self.columns.restoreState),
                             ("rows", self.rows.restoreState), ("docks", self.restoreState)):
            value = store.value(key)
            if isinstance(value, QByteArray | bytes):
                restore(QByteArray(value))
        basket = store.value("basket")
        if isinstance(basket, str) and basket:
            self.excerpts.basket_name = basket
        self.controller.load_basket(self.excerpts.basket_name)

    def save_state(self) -> None:
        """Persist geometry and splitter sizes."""
        store = settings()
        store.setValue("geometry", self.saveGeometry())
        store.setValue("columns", self.columns.saveState())
        store.setValue("rows", self.rows.saveState())
        store.setValue("docks", self.saveState())
        store.setValue("basket", self.excerpts.basket_name)
        store.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        """Save state and stop the workers."""
        self.save_state()
        self.entity_models.shutdown()
        self.controller.shutdown()
        super().closeEvent(event)


def _also_matched(query: str) -> tuple[str, ...]:
    from index.storage.query import also_matched  # Whoosh's query parser: loaded after the window shows

    return also_matched(query)
