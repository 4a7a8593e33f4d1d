{{%AUTOESCAPE context="HTML"}}<section aria-labelledby="document-panel-title">
<h2 id="document-panel-title">{{t_documents__panel__title}}</h2>
<p><a href="{{HREF}}">{{TITLE}} <span dir="ltr">{{NUMBER}}</span></a> <span class="badge {{STANDING_CLASS}}">{{STANDING}}</span></p>
<p>{{t_documents__issued}}: {{ISSUED}} · {{t_documents__expires}}: {{EXPIRES}}</p>
{{#HAS_PDF}}<p><a href="{{PDF_HREF}}" download>{{t_documents__download_pdf}}</a></p>
{{/HAS_PDF}}</section>
