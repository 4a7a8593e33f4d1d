{{%AUTOESCAPE context="HTML"}}<p class="meta">{{SERVICE}}</p>
<h1>{{t_case__title}} <bdi dir="ltr">{{TRACKING}}</bdi></h1>
{{#HAS_NOTICE}}<div class="notice" role="status"><p>{{NOTICE}}</p></div>
{{/HAS_NOTICE}}{{#HAS_ROUTED}}<div class="notice" role="status"><p>{{ROUTED}}</p></div>
{{/HAS_ROUTED}}<dl class="contact">
<dt>{{t_case__state}}</dt><dd><strong>{{STATE}}</strong></dd>
<dt>{{t_case__submitted}}</dt><dd>{{SUBMITTED}}</dd>
{{#HAS_FOLLOWERS}}<dt>{{t_case__followers}}</dt><dd>{{FOLLOWERS}}</dd>
{{/HAS_FOLLOWERS}}
{{#HAS_DUE}}<dt>{{t_case__due}}</dt><dd>{{DUE}}{{#OVERDUE}} <span class="badge badge-warning">{{t_case__overdue}}</span>{{/OVERDUE}}</dd>
{{/HAS_DUE}}<dt>{{t_case__channel}}</dt><dd>{{CHANNEL}}</dd>
<dt>{{t_services__fee}}</dt><dd>{{FEE}}</dd>
{{#HAS_ASSIGNEE}}<dt>{{t_case__assigned}}</dt><dd>{{ASSIGNEE}}</dd>
{{/HAS_ASSIGNEE}}</dl>
{{#APPLICANT}}<h2>{{t_case__applicant}}</h2>
{{#NO_ACCOUNT}}<p>{{t_case__applicant_none}}</p>
{{/NO_ACCOUNT}}{{#HAS_ACCOUNT}}<dl class="contact">
<dt>{{t_case__applicant_name}}</dt><dd><bdi>{{APPLICANT_NAME}}</bdi></dd>
{{#PERSONAL}}<dt>{{LABEL}}</dt><dd><span dir="ltr">{{VALUE}}</span>{{#CALL}} <a href="tel:{{TEL}}">{{t_case__call}}</a>{{/CALL}}{{#UNMASK}}
<form method="post" action="{{UNMASK_HREF}}" class="inline"><input type="hidden" name="csrf" value="{{CSRF}}"><input type="hidden" name="field" value="{{FIELD}}"><button type="submit" class="button button-secondary">{{t_case__unmask}} <span class="visually-hidden">{{LABEL}}</span></button></form>{{/UNMASK}}</dd>
{{/PERSONAL}}</dl>
{{#AUDITED}}<p class="hint">{{t_case__unmask_audited}}</p>
{{/AUDITED}}{{/HAS_ACCOUNT}}{{/APPLICANT}}{{#ASK}}<section class="notice" aria-labelledby="ask-title">
<h2 id="ask-title">{{t_case__asked_title}}</h2>
<p class="meta">{{ASKED}}</p>
<p dir="auto" class="user-text">{{QUESTION}}</p>
{{#HAS_ERROR}}<div class="error-summary" role="alert" aria-labelledby="ask-error-title" tabindex="-1">
<h2 id="ask-error-title">{{t_form__errors_title}}</h2>
<ul><li><a href="#{{ERROR_FIELD}}">{{ERROR}}</a></li></ul>
</div>
{{/HAS_ERROR}}<form method="post" action="{{ANSWER_HREF}}" enctype="multipart/form-data" novalidate>
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<input type="hidden" name="action" value="{{ACTION_KEY}}">
<div class="field{{#TEXT_ERROR}} field-error{{/TEXT_ERROR}}">
<label for="answer">{{t_case__answer_label}}</label>
{{#TEXT_ERROR}}<p class="error-message" id="answer-error">{{ERROR}}</p>
{{/TEXT_ERROR}}<textarea id="answer" name="comment" rows="4" required aria-required="true"{{#TEXT_ERROR}} aria-invalid="true" aria-describedby="answer-error"{{/TEXT_ERROR}}></textarea>
</div>
<div class="field{{#FILES_ERROR}} field-error{{/FILES_ERROR}}">
<label for="answer-files">{{t_case__answer_files}} <span class="optional">({{t_form__optional}})</span></label>
<p class="hint" id="answer-files-hint">{{FILES_HINT}}</p>
{{#FILES_ERROR}}<p class="error-message" id="answer-files-error">{{ERROR}}</p>
{{/FILES_ERROR}}<input type="file" id="answer-files" name="files" multiple accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" aria-describedby="answer-files-hint{{#FILES_ERROR}} answer-files-error{{/FILES_ERROR}}"{{#FILES_ERROR}} aria-invalid="true"{{/FILES_ERROR}}>
</div>
<button type="submit" class="button">{{ACTION_LABEL}}</button>
</form>
</section>
{{/ASK}}{{#PANEL}}{{HTML:none}}
{{/PANEL}}{{#ACTIONS}}<h2>{{t_case__actions}}</h2>
{{#ERRORS}}<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">{{t_form__errors_title}}</h2>
<ul><li>{{ERROR}}</li></ul>
</div>
{{/ERRORS}}{{#ACTION}}<form method="post" action="{{ACTION_HREF}}" class="case-action" novalidate>
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<input type="hidden" name="action" value="{{ACTION_KEY}}">
<div class="field">
<label for="comment-{{ACTION_KEY}}">{{t_case__comment}}{{#OPTIONAL}} <span class="optional">({{t_form__optional}})</span>{{/OPTIONAL}}</label>
<textarea id="comment-{{ACTION_KEY}}" name="comment" rows="3"{{#REQUIRED}} aria-required="true"{{/REQUIRED}}></textarea>
</div>
<button type="submit" class="button">{{ACTION_LABEL}}</button>
</form>
{{/ACTION}}{{#CAN_NOTE}}<form method="post" action="{{NOTE_HREF}}" novalidate>
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<div class="field">
<label for="note">{{t_case__note}}</label>
<p class="hint" id="note-hint">{{t_case__note_hint}}</p>
<textarea id="note" name="note" rows="3" aria-describedby="note-hint"></textarea>
</div>
<button type="submit" class="button button-secondary">{{t_case__add_note}}</button>
</form>
{{/CAN_NOTE}}{{#PRIORITY}}<form method="post" action="{{PRIORITY_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<div class="field">
<label for="priority">{{t_priority__label}}</label>
<select id="priority" name="priority">
{{#PRIORITY_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/PRIORITY_OPTION}}</select>
</div>
<button type="submit" class="button button-secondary">{{t_priority__submit}}</button>
</form>
{{/PRIORITY}}{{#CAN_ASSIGN}}<form method="post" action="{{ASSIGN_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<button type="submit" class="button button-secondary">{{t_case__assign_me}}</button>
</form>
{{/CAN_ASSIGN}}{{#REASSIGN}}<form method="post" action="{{ASSIGN_HREF}}" novalidate>
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<div class="field">
<label for="assignee">{{t_case__assign_to}}</label>
<select id="assignee" name="assignee">
{{#STAFF_OPTION}}<option value="{{VALUE}}"{{#SELECTED}} selected{{/SELECTED}}>{{LABEL}}</option>
{{/STAFF_OPTION}}</select>
</div>
<button type="submit" class="button button-secondary">{{t_case__assign_submit}}</button>
</form>
{{#UNASSIGN}}<form method="post" action="{{ASSIGN_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<input type="hidden" name="assignee" value="0">
<button type="submit" class="button button-secondary">{{t_case__unassign}}</button>
</form>
{{/UNASSIGN}}{{/REASSIGN}}{{#CAN_TRANSFER}}<p><a href="{{TRANSFER_HREF}}">{{t_transfer__link}}</a></p>
{{/CAN_TRANSFER}}{{#MERGE}}<h3>{{t_merge__title}}</h3>
<p>{{t_merge__intro}}</p>
{{#HAS_NEARBY}}<p>{{t_merge__nearby}}</p>
<ul class="nearby-list">
{{#REPORT}}<li>
<dl class="contact">
<dt>{{t_case__tracking}}</dt><dd><bdi dir="ltr">{{TRACKING}}</bdi></dd>
<dt>{{t_case__state}}</dt><dd>{{STATE}}</dd>
<dt>{{t_nearby__filed}}</dt><dd>{{FILED}}</dd>
<dt>{{t_nearby__distance}}</dt><dd>{{DISTANCE}}</dd>
{{#HAS_EXCERPT}}<dt>{{t_nearby__description}}</dt><dd dir="auto">{{EXCERPT}}</dd>
{{/HAS_EXCERPT}}</dl>
<form method="post" action="{{MERGE_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<input type="hidden" name="into" value="{{TRACKING}}">
<button type="submit" class="button button-secondary">{{t_merge__into_this}}<span class="visually-hidden"> {{TRACKING}}</span></button>
</form>
</li>
{{/REPORT}}</ul>
{{/HAS_NEARBY}}<form method="post" action="{{MERGE_HREF}}" novalidate>
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<div class="field">
<label for="into">{{t_merge__into}}</label>
<p class="hint" id="into-hint">{{t_merge__into_hint}}</p>
<input type="text" id="into" name="into" dir="ltr" autocomplete="off" spellcheck="false" aria-describedby="into-hint">
</div>
<button type="submit" class="button button-secondary">{{t_merge__submit}}</button>
</form>
{{/MERGE}}{{/ACTIONS}}{{#RATE}}<h2>{{t_rating__title}}</h2>
<form method="post" action="{{RATE_HREF}}" novalidate>
<input type="hidden" name="csrf" value="{{CSRF}}">
<fieldset>
<legend>{{t_rating__question}}</legend>
{{#SCORE}}<div class="choice"><input type="radio" id="score-{{VALUE}}" name="score" value="{{VALUE}}"> <label for="score-{{VALUE}}">{{LABEL}}</label></div>
{{/SCORE}}</fieldset>
<div class="field">
<label for="rating-comment">{{t_rating__comment}} <span class="optional">({{t_form__optional}})</span></label>
<textarea id="rating-comment" name="comment" rows="3"></textarea>
</div>
<button type="submit" class="button">{{t_rating__submit}}</button>
</form>
{{/RATE}}{{#RATED}}<p>{{t_rating__thanks}}</p>
{{/RATED}}{{#REOPEN}}<form method="post" action="{{REOPEN_HREF}}">
<input type="hidden" name="csrf" value="{{CSRF}}">
<input type="hidden" name="version" value="{{VERSION}}">
<p>{{REOPEN_TEXT}}</p>
<button type="submit" class="button button-secondary">{{t_case__reopen}}</button>
</form>
{{/REOPEN}}<h2>{{t_case__answers}}</h2>
<dl class="answers">
{{#ANSWER}}<dt>{{LABEL}}</dt><dd dir="auto">{{VALUE}}{{#FILE_LINK}}<a href="{{FILE_HREF}}" download>{{FILE_NAME}}</a> <span class="meta">({{FILE_SIZE}})</span> {{/FILE_LINK}}</dd>
{{/ANSWER}}</dl>
<h2>{{t_case__history}}</h2>
<ol class="history">
{{#EVENT}}<li><time datetime="{{ISO}}">{{WHEN}}</time> — {{WHAT}}{{#HAS_COMMENT}}<p dir="auto">{{COMMENT}}</p>{{/HAS_COMMENT}}</li>
{{/EVENT}}</ol>
<p><a href="{{BACK_HREF}}">{{BACK_LABEL}}</a></p>
